import Foundation
import TemoinKit
import TemoinSimulator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A store whose case points at `bookingURL`.
package func attemptStore(_ bookingURL: String) throws -> Store {
    let dir = TempDir()
    var fields = Fixtures.sampleCase
    fields.bookingURL = bookingURL
    return try Store.create(at: dir.file("temoin.sqlite"), case: fields)
}

package func withSimulator<T>(
    _ scenario: Scenario = .noSlot, https: Bool = false, slowDelay: Double = 3,
    _ body: (SimulatedPrefecture) async throws -> T
) async throws -> T {
    var config = SimulatorConfiguration()
    config.httpPort = 0
    config.httpsPort = https ? 0 : nil
    config.defaultScenario = scenario
    config.slowDelay = slowDelay
    config.testHooks = true
    let server = try await SimulatedPrefecture.start(config)
    do {
        let result = try await body(server)
        try await server.shutdown()
        return result
    } catch {
        try? await server.shutdown()
        throw error
    }
}

/// `temoin simulate` as a separate process, as `make demo` and a person use it.
package final class SimulatorProcess {
    package let process = Process()
    package let baseURL: String
    package let httpsURL: String?
    /// What the simulator printed before it was ready.
    package let banner: String
    private let output = Pipe()

    package init(arguments: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: temoinBinary)
        process.arguments = ["simulate", "--port", "0"] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line names the address; read until it comes.
        var text = ""
        let handle = output.fileHandleForReading
        while !text.contains("Ctrl-C") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) else {
            process.terminate()
            throw TemoinError.networkUnavailable(detail: "simulator did not start: \(text)")
        }
        baseURL = String(text[range])
        banner = text
        httpsURL = text.range(of: #"https://127\.0\.0\.1:\d+"#, options: .regularExpression).map { String(text[$0]) }
    }

    /// A store made by `temoin init` with the sample case, its booking URL at `path` on this simulator.
    package func newStore(path: String = "/booking/create/4963/0") throws -> String {
        let store = TempDir().file("temoin.sqlite")
        var args = Fixtures.initArguments
        args[args.firstIndex(of: "--booking-url")! + 1] = baseURL + path
        #expect(try temoin(args, store: store).status == 0)
        return store
    }

    /// Ctrl-C, as a person stops it.
    package func stop() -> Int32 {
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}
