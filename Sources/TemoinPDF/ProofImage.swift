import CGdkPixbuf
import CPangoCairo
import Foundation
import Synchronization

/// A photo or scan given as the proof of a step, decoded for an A4 page of the dossier. The stored
/// file stays the evidence; this is how it is drawn:
///
/// - a JPEG is embedded in the PDF as it is (its own bytes, DCT-encoded, pixels untouched), turned as
///   its EXIF orientation says;
/// - PNG, GIF and TIFF are drawn from their pixels, losslessly;
/// - WEBP, HEIC and AVIF (lossy photo formats a PDF cannot hold) are converted to a JPEG of quality
///   ``ProofImage/conversionQuality``, and the pièce says so; with transparency they are drawn
///   losslessly instead.
///
/// Decoding goes through gdk-pixbuf's loader for the format the file's first bytes announced (never a
/// guess from its content), so a file recorded as a PNG is read as a PNG or not at all.
package final class ProofImage {
    /// Why an image cannot be drawn; the pièce says so in words (`proof.undrawn.<rawValue>`).
    package enum Failure: Error, Equatable {
        /// No loader for this format on this computer (gdk-pixbuf without the WEBP, HEIF or AVIF loader).
        case noDecoder(format: String)
        /// The loader refused the bytes (a damaged, incomplete or truncated file); with its message.
        case undecodable(detail: String)
        /// More pixels than ``ProofImage/maximumPixels``: not drawn rather than exhaust the memory.
        case tooLarge(width: Int, height: Int)
    }

    /// How the pixels reach the page.
    package enum Embedding: Equatable {
        /// The original JPEG bytes, untouched.
        case originalJPEG
        /// Decoded and drawn losslessly (PNG, GIF, TIFF, or a converted format with transparency).
        case lossless
        /// Converted to a JPEG of this quality (WEBP, HEIC, AVIF without transparency).
        case convertedJPEG(quality: Int)
    }

    /// Largest image decoded (pixels): a 50-megapixel photo takes about 200 MB once decoded; a file
    /// that claims more (or a decompression bomb) is not drawn.
    package static let maximumPixels = 50_000_000
    package static let conversionQuality = 92

    /// The cairo surface holding the pixels as stored (before any EXIF turn).
    fileprivate let surface: OpaquePointer
    /// The JPEG embedded as mime data; kept alive as long as the surface refers to it.
    private let jpeg: Data?
    package let pixelWidth: Int
    package let pixelHeight: Int
    /// EXIF orientation 1...8 applied when drawing (only for an embedded original JPEG; decoded
    /// pixels are turned already).
    package let orientation: Int
    package let embedding: Embedding
    /// The format gdk-pixbuf read (« jpeg », « heif/avif »...).
    package let decoder: String
    /// Pages of a multi-page TIFF: only the first is drawn, and the pièce says how many there are.
    package let pageCount: Int

    /// Width and height on the page's axes, once turned.
    package var displayWidth: Int { orientation >= 5 ? pixelHeight : pixelWidth }
    package var displayHeight: Int { orientation >= 5 ? pixelWidth : pixelHeight }

    /// gdk-pixbuf's loaders are process-wide; one decode at a time keeps their first use safe.
    private static let lock = Mutex(())

    /// Whether gdk-pixbuf on this computer has a loader for `mediaType`.
    package static func hasDecoder(for mediaType: String) -> Bool {
        lock.withLock { _ in supportedMediaTypes.contains(loaderType(mediaType)) }
    }

    /// The loader's name for a recorded media type (HEIC photos are read by the HEIF loader).
    package static func loaderType(_ mediaType: String) -> String {
        mediaType == "image/heic" ? "image/heif" : mediaType
    }

    private static let supportedMediaTypes: Set<String> = {
        var out: Set<String> = []
        let list = gdk_pixbuf_get_formats()
        var node = list
        while let n = node {
            if let format = n.pointee.data.map(OpaquePointer.init), let types = gdk_pixbuf_format_get_mime_types(format)
            {
                var i = 0
                while let t = types[i] {
                    out.insert(String(cString: t))
                    i += 1
                }
                g_strfreev(types)
            }
            node = n.pointee.next
        }
        g_slist_free(list)
        return out
    }()

    /// Decodes `data`, recorded as `mediaType`.
    package init(data: Data, mediaType: String) throws(Failure) {
        let type = Self.loaderType(mediaType)
        guard Self.hasDecoder(for: mediaType) else {
            throw .noDecoder(format: String(mediaType.split(separator: "/").last ?? "").uppercased())
        }
        let decoded = try Self.lock.withLock { _ throws(Failure) in
            // A loader's warnings (« Invalid input: No 'meta' box ») would go to the terminal; they
            // become the reason given instead.
            LoaderWarnings.begin()
            defer { LoaderWarnings.end() }
            do throws(Failure) {
                return try Self.decode(data, loaderType: type)
            } catch {
                guard case .undecodable(let detail) = error else { throw error }
                throw .undecodable(detail: LoaderWarnings.collected.last ?? detail)
            }
        }
        defer { g_object_unref(UnsafeMutableRawPointer(decoded.pixbuf)) }
        let rawOrientation = gdk_pixbuf_get_option(decoded.pixbuf, "orientation").flatMap { Int(String(cString: $0)) }
        let exif = (1...8).contains(rawOrientation ?? 1) ? (rawOrientation ?? 1) : 1
        decoder = decoded.format
        pageCount = mediaType == "image/tiff" ? TIFFPages.count(data) : 1

        let hasAlpha = gdk_pixbuf_get_has_alpha(decoded.pixbuf) != 0
        let isJPEG = mediaType == "image/jpeg"
        var source = decoded.pixbuf
        var turned: OpaquePointer?
        defer { if let turned { g_object_unref(UnsafeMutableRawPointer(turned)) } }
        if isJPEG, JPEGInfo.isEmbeddable(data) {
            embedding = .originalJPEG
            orientation = exif
            jpeg = data
        } else {
            // Decoded pixels are turned now, so they are drawn straight.
            if exif != 1, let t = gdk_pixbuf_apply_embedded_orientation(decoded.pixbuf) {
                turned = t
                source = t
            }
            orientation = 1
            if ["image/webp", "image/heic", "image/avif"].contains(mediaType), !hasAlpha,
                let converted = Self.jpegBytes(source, quality: Self.conversionQuality)
            {
                embedding = .convertedJPEG(quality: Self.conversionQuality)
                jpeg = converted
            } else {
                embedding = .lossless
                jpeg = nil
            }
        }
        pixelWidth = Int(gdk_pixbuf_get_width(source))
        pixelHeight = Int(gdk_pixbuf_get_height(source))
        guard let s = Self.surface(from: source) else {
            throw .undecodable(detail: "cairo")
        }
        surface = s
        if let jpeg {
            // cairo's PDF output embeds these bytes instead of the pixels (DCTDecode). The data is
            // copied: cairo keeps it until the surface is destroyed.
            let copy = UnsafeMutableRawPointer.allocate(byteCount: jpeg.count, alignment: 1)
            jpeg.copyBytes(to: copy.assumingMemoryBound(to: UInt8.self), count: jpeg.count)
            let status = cairo_surface_set_mime_data(
                s, CAIRO_MIME_TYPE_JPEG, copy.assumingMemoryBound(to: UInt8.self), UInt(jpeg.count),
                { $0?.deallocate() }, copy)
            if status != CAIRO_STATUS_SUCCESS { copy.deallocate() }
        }
    }

    deinit { cairo_surface_destroy(surface) }

    private struct Decoded {
        var pixbuf: OpaquePointer
        var format: String
    }

    /// Feeds the bytes to the loader of `loaderType`; refuses an image larger than ``maximumPixels``
    /// as soon as its header is read, before any pixel is allocated.
    private static func decode(_ data: Data, loaderType: String) throws(Failure) -> Decoded {
        var error: UnsafeMutablePointer<GError>?
        guard let loader = gdk_pixbuf_loader_new_with_mime_type(loaderType, &error) else {
            let message = error.map { String(cString: $0.pointee.message) } ?? loaderType
            if let error { g_error_free(error) }
            throw .noDecoder(format: message)
        }
        defer { g_object_unref(UnsafeMutableRawPointer(loader)) }
        final class Size {
            package var width = 0
            package var height = 0
        }
        let size = Size()
        let callback:
            @convention(c) (UnsafeMutablePointer<GdkPixbufLoader>?, Int32, Int32, UnsafeMutableRawPointer?) -> Void = {
                loader, width, height, context in
                guard let context else { return }
                let size = Unmanaged<Size>.fromOpaque(context).takeUnretainedValue()
                size.width = Int(width)
                size.height = Int(height)
                if Int(width) * Int(height) > ProofImage.maximumPixels || width <= 0 || height <= 0 {
                    // Asks the loader for a 1 × 1 image: nothing large is allocated, and the size is refused below.
                    gdk_pixbuf_loader_set_size(loader, 1, 1)
                }
            }
        withExtendedLifetime(size) {
            _ = g_signal_connect_data(
                UnsafeMutableRawPointer(loader), "size-prepared", unsafeBitCast(callback, to: GCallback.self),
                Unmanaged.passUnretained(size).toOpaque(), nil, GConnectFlags(rawValue: 0))
            let written = data.withUnsafeBytes { raw -> Bool in
                guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return false }
                return gdk_pixbuf_loader_write(loader, base, gsize(raw.count), &error) != 0
            }
            // Closing reports a truncated file; a write that failed has its error already.
            var closing: UnsafeMutablePointer<GError>?
            _ = gdk_pixbuf_loader_close(loader, &closing)
            if let closing {
                if written, error == nil { error = closing } else { g_error_free(closing) }
            }
        }
        if size.width * size.height > maximumPixels {
            if let error { g_error_free(error) }
            throw .tooLarge(width: size.width, height: size.height)
        }
        if let error {
            let message = String(cString: error.pointee.message)
            g_error_free(error)
            throw .undecodable(detail: message)
        }
        guard let pixbuf = gdk_pixbuf_loader_get_pixbuf(loader) else { throw .undecodable(detail: loaderType) }
        g_object_ref(UnsafeMutableRawPointer(pixbuf))
        let format = gdk_pixbuf_loader_get_format(loader).flatMap { gdk_pixbuf_format_get_name($0) }
        defer { if let format { g_free(format) } }
        return Decoded(pixbuf: pixbuf, format: format.map { String(cString: $0) } ?? loaderType)
    }

    /// A JPEG of the pixbuf (gdk-pixbuf's own encoder).
    private static func jpegBytes(_ pixbuf: OpaquePointer, quality: Int) -> Data? {
        var buffer: UnsafeMutablePointer<gchar>?
        var size: gsize = 0
        var error: UnsafeMutablePointer<GError>?
        let keys = [strdup("quality"), nil]
        let values = [strdup(String(quality)), nil]
        defer {
            for k in keys { free(k) }
            for v in values { free(v) }
        }
        var k = keys
        var v = values
        let ok = gdk_pixbuf_save_to_bufferv(pixbuf, &buffer, &size, "jpeg", &k, &v, &error) != 0
        if let error { g_error_free(error) }
        guard ok, let buffer else { return nil }
        defer { g_free(buffer) }
        return Data(bytes: buffer, count: Int(size))
    }

    /// The pixbuf's pixels as a cairo image surface (premultiplied ARGB in native order).
    private static func surface(from pixbuf: OpaquePointer) -> OpaquePointer? {
        let width = Int(gdk_pixbuf_get_width(pixbuf))
        let height = Int(gdk_pixbuf_get_height(pixbuf))
        let channels = Int(gdk_pixbuf_get_n_channels(pixbuf))
        let rowstride = Int(gdk_pixbuf_get_rowstride(pixbuf))
        let alpha = gdk_pixbuf_get_has_alpha(pixbuf) != 0
        guard width > 0, height > 0, channels >= 3, gdk_pixbuf_get_bits_per_sample(pixbuf) == 8,
            let pixels = gdk_pixbuf_read_pixels(pixbuf)
        else { return nil }
        let format = alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24
        guard let s = cairo_image_surface_create(format, Int32(width), Int32(height)),
            cairo_surface_status(s) == CAIRO_STATUS_SUCCESS, let out = cairo_image_surface_get_data(s)
        else { return nil }
        cairo_surface_flush(s)
        let stride = Int(cairo_image_surface_get_stride(s))
        for y in 0..<height {
            let src = pixels + y * rowstride
            let dst = UnsafeMutableRawPointer(out + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width {
                let p = src + x * channels
                var r = UInt32(p[0])
                var g = UInt32(p[1])
                var b = UInt32(p[2])
                let a = alpha ? UInt32(p[3]) : 255
                if a < 255 {
                    r = (r * a + 127) / 255
                    g = (g * a + 127) / 255
                    b = (b * a + 127) / 255
                }
                dst[x] = (a << 24) | (r << 16) | (g << 8) | b
            }
        }
        cairo_surface_mark_dirty(s)
        return s
    }

    /// Draws the image turned upright, scaled to `scale` points per displayed pixel, its top-left at x, y.
    package func draw(on canvas: CairoCanvas, x: Double, y: Double, scale: Double) {
        let w = Double(pixelWidth)
        let h = Double(pixelHeight)
        // Where a stored pixel (px, py) lands once turned (EXIF orientation, TIFF 6.0 tag 274).
        var m = cairo_matrix_t()
        switch orientation {
        case 2: cairo_matrix_init(&m, -1, 0, 0, 1, w, 0)
        case 3: cairo_matrix_init(&m, -1, 0, 0, -1, w, h)
        case 4: cairo_matrix_init(&m, 1, 0, 0, -1, 0, h)
        case 5: cairo_matrix_init(&m, 0, 1, 1, 0, 0, 0)
        case 6: cairo_matrix_init(&m, 0, 1, -1, 0, h, 0)
        case 7: cairo_matrix_init(&m, 0, -1, -1, 0, h, w)
        case 8: cairo_matrix_init(&m, 0, -1, 1, 0, 0, w)
        default: cairo_matrix_init_identity(&m)
        }
        let cr = canvas.cr
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_scale(cr, scale, scale)
        cairo_transform(cr, &m)
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_paint(cr)
        cairo_restore(cr)
        canvas.strokeRect(x, y, Double(displayWidth) * scale, Double(displayHeight) * scale, RGB(0.6, 0.6, 0.6))
    }
}

/// Collects GLib's log messages while a loader runs (they are the only explanation some loaders give).
private enum LoaderWarnings {
    private static let messages = Mutex<[String]>([])
    nonisolated(unsafe) private static var previous: GLogFunc?

    static func begin() {
        messages.withLock { $0 = [] }
        previous = g_log_set_default_handler(
            { _, _, message, _ in
                guard let message else { return }
                LoaderWarnings.messages.withLock { $0.append(String(cString: message)) }
            }, nil)
    }

    static func end() {
        _ = g_log_set_default_handler(previous, nil)
        previous = nil
    }

    static var collected: [String] { messages.withLock { $0 } }
}

/// What the first bytes of a JPEG say, enough to know whether a PDF can hold it as it is.
package enum JPEGInfo {
    /// The frame header's component count, or nil when no frame header is found.
    static func components(_ data: Data) -> Int? {
        let b = [UInt8](data.prefix(1 << 20))
        guard b.count > 4, b[0] == 0xFF, b[1] == 0xD8 else { return nil }
        var i = 2
        while i + 4 < b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF {
                i += 1
                continue
            }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            // SOF0...SOF15 except DHT (C4), JPG (C8) and DAC (CC): the frame header.
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                return i + 9 < b.count ? Int(b[i + 9]) : nil
            }
            if marker == 0xDA || length < 2 { return nil }
            i += 2 + length
        }
        return nil
    }

    /// Grey or colour (1 or 3 components): a PDF viewer shows these as they are; CMYK JPEGs (Adobe's
    /// inverted convention) are drawn from their decoded pixels instead.
    package static func isEmbeddable(_ data: Data) -> Bool {
        guard let n = components(data) else { return false }
        return n == 1 || n == 3
    }
}

/// Pages (image file directories) of a TIFF file: a scanner may put a whole letter in one file.
package enum TIFFPages {
    package static func count(_ data: Data) -> Int {
        let b = [UInt8](data)
        guard b.count >= 8 else { return 1 }
        let little = b[0] == 0x49
        func u16(_ o: Int) -> Int? {
            guard o >= 0, o + 2 <= b.count else { return nil }
            return little ? Int(b[o]) | Int(b[o + 1]) << 8 : Int(b[o]) << 8 | Int(b[o + 1])
        }
        func u32(_ o: Int) -> Int? {
            guard o >= 0, o + 4 <= b.count else { return nil }
            let v = (0..<4).map { Int(b[o + $0]) }
            return little ? v[0] | v[1] << 8 | v[2] << 16 | v[3] << 24 : v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3]
        }
        var offset = u32(4) ?? 0
        var seen: Set<Int> = []
        var pages = 0
        // A loop of offsets or an absurd count ends the walk: the file is read, never trusted.
        while offset > 0, offset < b.count, !seen.contains(offset), pages < 10_000 {
            seen.insert(offset)
            guard let entries = u16(offset) else { break }
            pages += 1
            offset = u32(offset + 2 + entries * 12) ?? 0
        }
        return max(pages, 1)
    }
}
