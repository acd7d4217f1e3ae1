import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which IP addresses are not on the public internet: the computer itself, the local network, and the
/// ranges no public server uses. A prefecture's site that redirects there (or a page whose form points
/// there) would make temoin reach into the person's own network, a router's admin page for instance.
package enum NetworkAddress {
    /// True for loopback, private (RFC 1918, RFC 4193), link-local, shared (RFC 6598), unspecified,
    /// multicast and reserved addresses, IPv4-mapped IPv6 included; also for text that is no address.
    package static func isPrivate(_ text: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return isPrivateIPv4(withUnsafeBytes(of: v4) { Array($0) })
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return true }
        let b = withUnsafeBytes(of: v6) { Array($0) }
        if b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xFF, b[11] == 0xFF { return isPrivateIPv4(Array(b[12..<16])) }
        if b[0..<15].allSatisfy({ $0 == 0 }) { return true }  // :: and ::1
        if b[0] & 0xFE == 0xFC { return true }  // fc00::/7 unique local
        if b[0] == 0xFE, b[1] & 0xC0 == 0x80 { return true }  // fe80::/10 link-local
        if b[0] == 0xFF { return true }  // multicast
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0D, b[3] == 0xB8 { return true }  // 2001:db8::/32 documentation
        return false
    }

    private static func isPrivateIPv4(_ b: [UInt8]) -> Bool {
        switch b[0] {
        case 0, 10, 127: return true
        case 100: return b[1] & 0xC0 == 64  // 100.64.0.0/10, carrier-grade NAT
        case 169: return b[1] == 254  // link-local
        case 172: return b[1] & 0xF0 == 16  // 172.16.0.0/12
        case 192: return (b[1] == 168) || (b[1] == 0 && (b[2] == 0 || b[2] == 2))  // 192.168/16, 192.0.0/24, TEST-NET-1
        case 198: return b[1] & 0xFE == 18 || (b[1] == 51 && b[2] == 100)  // benchmarking, TEST-NET-2
        case 203: return b[1] == 0 && b[2] == 113  // TEST-NET-3
        default: return b[0] >= 224  // multicast, reserved, broadcast
        }
    }
}
