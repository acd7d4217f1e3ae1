import Foundation
import GRDB

extension Walk {
    /// docs/FORMAT.md §6.2, schema: `sqlite_master` holds exactly the objects of `StoreSchema` (the
    /// three tables of §2, the optional tables of §7 and GRDB's migration log, each with its exact
    /// `CREATE TABLE` text and automatic indexes) and nothing else: no view, trigger, other table or
    /// index. Each deviation is `schema_altered` (seq null), once per name; then the walk stops, and
    /// nothing is read through an object the format does not describe (a view named `entries` would
    /// run its own SQL).
    mutating func checkSchema(_ db: Database) throws -> Bool {
        let deviations = try StoreSchema.deviations(db)
        for d in deviations {
            let what: String
            switch d.kind {
            case .foreign: what = "\(d.type ?? "object") \(d.name) is not part of the format"
            case .altered: what = "\(d.type ?? "object") \(d.name) is not as the format declares it"
            case .missing: what = "\(d.name) is missing"
            }
            report.record(.schemaAltered, at: nil, subject: d.name, what, stops: true)
        }
        return deviations.isEmpty
    }
}
