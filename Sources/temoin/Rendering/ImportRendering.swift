import Foundation
import TemoinKit

/// One file of `temoin import`, as it is done (`ImportText`): its lines, then its warnings on standard error.
func printImportLine(_ file: ImportFileReport) {
    let (out, errors) = ImportText.lines(file)
    for line in out { print(line) }
    for line in errors { printError(line) }
}
