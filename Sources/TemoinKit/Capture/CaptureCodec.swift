import CDeflate
import Foundation

/// How capture bytes are kept in `captures.data` (docs/FORMAT.md, "Captures").
public enum CaptureEncoding: String, Sendable, Codable {
    /// RFC 1950 zlib stream, readable by any zlib (Python's `zlib.decompress`).
    case zlib
    /// The raw bytes, when compression would not save anything (images).
    case identity
}

public enum CaptureCodecError: Error, CustomStringConvertible, Sendable {
    case unknownEncoding(String)
    case corrupt

    public var description: String {
        switch self {
        case .unknownEncoding(let e): return "unknown capture encoding \(e)"
        case .corrupt: return "capture bytes cannot be decompressed"
        }
    }
}

/// Owns one libdeflate compressor.
final class DeflateCompressor {
    private let handle: OpaquePointer

    init?(level: Int32 = 6) {
        guard let h = libdeflate_alloc_compressor(level) else { return nil }
        handle = h
    }

    deinit { libdeflate_free_compressor(handle) }

    /// The zlib stream of `data`, or nil when it would not be smaller than `data`.
    func zlib(_ data: Data) -> Data? {
        let bound = libdeflate_zlib_compress_bound(handle, data.count)
        var out = Data(count: bound)
        let written = data.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                libdeflate_zlib_compress(handle, src.baseAddress, src.count, dst.baseAddress, dst.count)
            }
        }
        guard written > 0, written < data.count else { return nil }
        out.count = written
        return out
    }
}

/// Owns one libdeflate decompressor.
final class DeflateDecompressor {
    let handle: OpaquePointer

    init?() {
        guard let h = libdeflate_alloc_decompressor() else { return nil }
        handle = h
    }

    deinit { libdeflate_free_decompressor(handle) }

    /// Inflates a zlib stream whose decompressed size is known to be `size`; nil if the stream is damaged
    /// or does not inflate to exactly `size` bytes.
    func zlib(_ data: Data, size: Int) -> Data? {
        guard size >= 0 else { return nil }
        var out = Data(count: size)
        var actual = 0
        let result = data.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                libdeflate_zlib_decompress(handle, src.baseAddress, src.count, dst.baseAddress, size, &actual)
            }
        }
        guard result == LIBDEFLATE_SUCCESS, actual == size else { return nil }
        return out
    }
}

/// Encodes and decodes stored captures.
public enum CaptureCodec {
    /// The stored form of `bytes`: zlib when it saves space, else identity.
    public static func encode(_ bytes: Data) -> (CaptureEncoding, Data) {
        if bytes.count >= 64, let compressor = DeflateCompressor(), let z = compressor.zlib(bytes),
            z.count < bytes.count - bytes.count / 32
        {
            return (.zlib, z)
        }
        return (.identity, bytes)
    }

    /// The raw bytes back; nil when the stored bytes do not decode to `size` bytes.
    public static func decode(_ stored: Data, encoding: String, size: Int64) -> Data? {
        switch encoding {
        case CaptureEncoding.identity.rawValue:
            return stored.count == size ? stored : nil
        case CaptureEncoding.zlib.rawValue:
            guard size <= Int64(Int32.max), let d = DeflateDecompressor() else { return nil }
            return d.zlib(stored, size: Int(size))
        default:
            return nil
        }
    }
}

extension CaptureCodec {
    /// Decodes a `Content-Encoding: gzip` or `deflate` body for analysis (the capture keeps the bytes as
    /// received). Nil when the stream is damaged or inflates beyond `limit`.
    public static func contentDecode(_ body: Data, encoding: String, limit: Int) -> Data? {
        guard let d = DeflateDecompressor() else { return nil }
        var capacity = max(4096, body.count * 4)
        while capacity <= limit * 2 {
            let size = min(capacity, limit)
            if let out = d.stream(body, gzip: encoding.lowercased().contains("gzip"), capacity: size) { return out }
            if size == limit { return nil }
            capacity *= 4
        }
        return nil
    }
}

extension DeflateDecompressor {
    /// Inflates a gzip or zlib stream of unknown size into at most `capacity` bytes; nil if it needs more
    /// room or is damaged.
    func stream(_ data: Data, gzip: Bool, capacity: Int) -> Data? {
        var out = Data(count: capacity)
        var actual = 0
        let result = data.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                gzip
                    ? libdeflate_gzip_decompress(handle, src.baseAddress, src.count, dst.baseAddress, capacity, &actual)
                    : libdeflate_zlib_decompress(handle, src.baseAddress, src.count, dst.baseAddress, capacity, &actual)
            }
        }
        guard result == LIBDEFLATE_SUCCESS else { return nil }
        out.count = actual
        return out
    }
}
