import Foundation
import TemoinKit

// libFuzzer driver for the page analysis (`make fuzz`, docs/HARDENING.md). Built only with
// TEMOIN_FUZZ=1 (Package.swift), which also instruments TemoinKit with -sanitize=fuzzer.
//
// The first byte of an input picks the rule set and the HTTP Content-Type (or none, so that the
// charset comes from a BOM or a <meta>); the rest is the page, as `import` and `attempt` pass it.

enum AnalysisFuzz {
    static let analyzers: [PageAnalyzer] = (RuleSet.builtInNames + ["common"]).compactMap {
        (try? RuleSet.loadBuiltIn($0)).map(PageAnalyzer.init(ruleSet:))
    }

    static let contentTypes: [String?] = [
        nil, "text/html", "text/html; charset=utf-8", "text/html; charset=ISO-8859-1",
        "text/html; charset=windows-1252", "text/html; charset=utf-16", "application/xhtml+xml; charset=\"latin1\"",
        "text/html; charset=bogus-charset",
    ]

    static func run(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        guard let data, size > 0, !analyzers.isEmpty else { return 0 }
        let selector = Int(data[0])
        let page = Data(bytes: data + 1, count: size - 1)
        let analyzer = analyzers[selector % analyzers.count]
        let contentType = contentTypes[(selector / analyzers.count) % contentTypes.count]
        let analysis = analyzer.analyze(
            page, contentType: contentType, status: 200, url: "https://www.val-de-marne.gouv.fr/booking/create/4963/0")
        // Use what the dossier and the log print, so that nothing is optimised away.
        let printed =
            analysis.visibleText.utf8.count + (analysis.title?.count ?? 0) + (analysis.message?.count ?? 0)
            + (analysis.description?.count ?? 0) + analysis.setAside.count + (analysis.visibility?.detail?.count ?? 0)
        return printed >= 0 ? 0 : 1
    }
}

/// The symbol libFuzzer's runtime links against; the driver below passes the same function.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { AnalysisFuzz.run(data, size) }

/// libFuzzer's entry point for a program that has its own `main` (SwiftPM gives every executable one).
@_silgen_name("LLVMFuzzerRunDriver")
func runLibFuzzer(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runLibFuzzer(&argc, &argv) { data, size in AnalysisFuzz.run(data, size) })
