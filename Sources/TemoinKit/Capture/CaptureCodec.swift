import CDeflate
import Crypto
import Foundation
import Synchronization

/// How capture bytes are kept in `captures.data` (docs/FORMAT.md, "Captures").
package enum CaptureEncoding: String, Sendable, Codable {
    /// RFC 1950 zlib stream, readable by any zlib (Python's `zlib.decompress`).
    case zlib
    /// The raw bytes, when compression would not save anything (images).
    case identity
}

package enum CaptureCodecError: Error, CustomStringConvertible, Sendable {
    case unknownEncoding(String)
    case corrupt

    package var description: String {
        switch self {
        case .unknownEncoding(let e): return "unknown capture encoding \(e)"
        case .corrupt: return "capture bytes cannot be decompressed"
        }
    }
}

/// Owns one libdeflate compressor. Used by one thread at a time: `CaptureCodec` lends it from a pool.
final class DeflateCompressor: @unchecked Sendable {
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

/// Owns one libdeflate decompressor. Used by one thread at a time: `CaptureCodec` lends it from a
/// pool, verify gives each worker its own.
final class DeflateDecompressor: @unchecked Sendable {
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

    /// Inflates a zlib stream into `buffer`; the number of bytes written, nil if the stream is damaged,
    /// does not fit, or is followed by any byte (docs/FORMAT.md §6.6: a stored capture is one stream).
    func zlib(_ data: Data, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        var actualIn = 0
        var actual = 0
        let result = data.withUnsafeBytes { src in
            libdeflate_zlib_decompress_ex(
                handle, src.baseAddress, src.count, buffer.baseAddress, buffer.count, &actualIn, &actual)
        }
        return result == LIBDEFLATE_SUCCESS && actualIn == data.count ? actual : nil
    }
}

/// Encodes and decodes stored captures.
package enum CaptureCodec {
    /// Idle (de)compressors. A level-6 compressor holds about 1 MB of tables: allocating one per capture
    /// cost more than compressing a 60 KB page (page faults on fresh memory).
    private static let idleCompressors = Mutex<[DeflateCompressor]>([])
    private static let idleDecompressors = Mutex<[DeflateDecompressor]>([])
    private static let poolLimit = 8

    static func withCompressor<T>(_ body: (DeflateCompressor) -> T?) -> T? {
        guard let c = idleCompressors.withLock({ $0.popLast() }) ?? DeflateCompressor() else { return nil }
        defer { idleCompressors.withLock { if $0.count < poolLimit { $0.append(c) } } }
        return body(c)
    }

    static func withDecompressor<T>(_ body: (DeflateDecompressor) -> T?) -> T? {
        guard let d = idleDecompressors.withLock({ $0.popLast() }) ?? DeflateDecompressor() else { return nil }
        defer { idleDecompressors.withLock { if $0.count < poolLimit { $0.append(d) } } }
        return body(d)
    }

    /// The stored form of `bytes`: zlib when it saves space, else identity.
    package static func encode(_ bytes: Data) -> (CaptureEncoding, Data) {
        if bytes.count >= 64, let z = withCompressor({ $0.zlib(bytes) }), z.count < bytes.count - bytes.count / 32 {
            return (.zlib, z)
        }
        return (.identity, bytes)
    }

    /// The raw bytes back; nil when the stored bytes do not decode to `size` bytes.
    package static func decode(_ stored: Data, encoding: String, size: Int64) -> Data? {
        switch encoding {
        case CaptureEncoding.identity.rawValue:
            return stored.count == size ? stored : nil
        case CaptureEncoding.zlib.rawValue:
            guard size <= Int64(Int32.max) else { return nil }
            return withDecompressor { $0.zlib(stored, size: Int(size)) }
        default:
            return nil
        }
    }
}

/// Checks stored captures against their digests with one decompressor and one output buffer, reused
/// from capture to capture: verify gives one to each worker thread, so hashing 500 MB allocates
/// (and zero-fills) nothing per capture.
///
/// Used by one thread at a time (verify lends each to one worker lane).
///
/// Invariant: `matches` is true only if the stored bytes decode per `encoding` to exactly `size` bytes
/// whose SHA-256, in lowercase hex, equals `digest` (docs/FORMAT.md, verification step 6).
final class CaptureChecker: @unchecked Sendable {
    private let inflater: DeflateDecompressor?
    private var buffer: UnsafeMutableRawBufferPointer

    init() {
        inflater = DeflateDecompressor()
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)
    }

    deinit { buffer.deallocate() }

    func matches(_ stored: Data, encoding: String, size: Int64, digest: String) -> Bool {
        guard size >= 0 else { return false }
        switch encoding {
        case CaptureEncoding.identity.rawValue:
            return stored.count == size && SHA256.hash(data: stored).lowercaseHex == digest
        case CaptureEncoding.zlib.rawValue:
            guard size <= Int64(Int32.max), let inflater else { return false }
            let count = Int(size)
            if buffer.count < count {
                buffer.deallocate()
                buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
            }
            // Exactly `size` bytes of room: a stream that inflates to more fails, one to fewer is caught below.
            let room = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
            guard let actual = inflater.zlib(stored, into: room), actual == count else { return false }
            return SHA256.hash(data: UnsafeRawBufferPointer(room)).lowercaseHex == digest
        default:
            return false
        }
    }
}

extension CaptureCodec {
    /// Decodes a `Content-Encoding: gzip` or `deflate` body for analysis (the capture keeps the bytes as
    /// received). Nil when the stream is damaged or inflates beyond `limit`.
    package static func contentDecode(_ body: Data, encoding: String, limit: Int) -> Data? {
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
