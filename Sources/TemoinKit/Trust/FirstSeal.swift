import Foundation

extension Sealer {
    /// Adds the TSAs to a new store and takes a first seal of its head, to show at once whether they
    /// answer. A TSA that does not answer stays configured (the Internet may be back at the next
    /// attempt): only a store that cannot be written throws.
    package static func addAndSeal(_ urls: [String], store: Store) throws -> [Sealer.Outcome] {
        guard !urls.isEmpty else { return [] }
        for url in urls {
            try store.addTSA(url: url, name: PublicTSA.suggested.first { $0.url == url }?.name)
        }
        return (try? Sealer(store: store).seal(urls: urls, trust: (try? TSATrust.load()) ?? TSATrust())) ?? []
    }
}
