// A small, readable CAPTCHA image for the simulated RDV Préfecture: grey noise, a few lines and the
// code drawn with a 5x7 bitmap font, encoded as a grayscale PNG (zlib and CRC from libdeflate).
// A person reads it during the demo; tests read the code through the test hook instead.

import Foundation

enum CaptchaImage {
    /// Characters used in codes, leaving out look-alikes (0/O/Q, 1/I/L/J, B, G, S, Z).
    static let alphabet = Array("23456789ACDEFHKMNPRTUVWXY")

    /// Rows of a 5x7 glyph, top to bottom; bit 4 is the leftmost pixel.
    private static let glyphs: [Character: [UInt8]] = [
        "2": [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        "3": [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        "4": [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        "5": [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        "6": [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        "7": [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        "8": [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        "9": [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        "A": [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        "C": [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        "D": [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        "E": [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        "F": [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        "H": [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        "K": [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        "M": [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        "N": [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        "P": [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        "R": [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        "T": [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        "U": [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        "V": [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        "W": [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        "X": [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        "Y": [0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04],
    ]

    static let width = 200
    static let height = 60

    static func randomCode(length: Int = 6) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// A `data:image/png;base64,...` URI for the code, as CaptchEtat pages embed their image.
    static func dataURI(for code: String) -> String {
        "data:image/png;base64," + Data(png(for: code)).base64EncodedString()
    }

    static func png(for code: String) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var pixels = [UInt8](repeating: 0, count: width * height)
        for index in pixels.indices {
            pixels[index] = UInt8.random(in: 215...255, using: &generator)
        }
        // A few thin grey lines across the picture.
        for _ in 0..<4 {
            let startY = Double.random(in: 5...Double(height - 5), using: &generator)
            let slope = Double.random(in: -0.2...0.2, using: &generator)
            for x in 0..<width {
                let y = Int(startY + slope * Double(x))
                if (0..<height).contains(y) {
                    pixels[y * width + x] = 150
                }
            }
        }
        let scale = 4
        let advance = 5 * scale + 8
        let startX = (width - (code.count * advance - 8)) / 2
        for (position, character) in code.enumerated() {
            guard let rows = glyphs[character] else { continue }
            let originX = startX + position * advance
            let originY = (height - 7 * scale) / 2 + Int.random(in: -4...4, using: &generator)
            for (row, bits) in rows.enumerated() {
                for column in 0..<5 where bits & (0x10 >> UInt8(column)) != 0 {
                    for dy in 0..<scale {
                        for dx in 0..<scale {
                            let x = originX + column * scale + dx
                            let y = originY + row * scale + dy
                            if (0..<width).contains(x) && (0..<height).contains(y) {
                                pixels[y * width + x] = 30
                            }
                        }
                    }
                }
            }
        }
        return encodeGrayscalePNG(pixels: pixels, width: width, height: height)
    }

    private static func encodeGrayscalePNG(pixels: [UInt8], width: Int, height: Int) -> [UInt8] {
        var raw: [UInt8] = []
        raw.reserveCapacity((width + 1) * height)
        for y in 0..<height {
            raw.append(0)  // filter type: none
            raw.append(contentsOf: pixels[(y * width)..<((y + 1) * width)])
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header.append(contentsOf: bigEndian(UInt32(width)))
        header.append(contentsOf: bigEndian(UInt32(height)))
        header.append(contentsOf: [8, 0, 0, 0, 0])  // 8-bit grayscale, deflate, no filter, no interlace
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", Gzip.zlib(raw) ?? [], to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        png.append(contentsOf: bigEndian(UInt32(data.count)))
        let start = png.count
        png.append(contentsOf: Array(type.utf8))
        png.append(contentsOf: data)
        png.append(contentsOf: bigEndian(Gzip.crc32(png[start...])))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
