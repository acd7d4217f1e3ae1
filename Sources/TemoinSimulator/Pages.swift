// The HTML pages of the simulated prefecture. They are written by us from the markers published in
// public checker projects (see docs/DOMAIN.md, "The booking systems") and mimic the structure
// and wording of the legacy prefecture module and of RDV Préfecture; they are not copies of the real pages.
// Every page says in its footer that it comes from the temoin simulator, not from a State website.
// All links and form actions are relative, so a `/scenario/<name>` prefix survives navigation.

import Foundation

/// Dates shown on the pages, computed relative to today in Europe/Paris.
struct PageDates {
    /// Last publication of appointments (the latest Wednesday at 09:00, Paris time).
    let lastPublication: DateComponents
    /// The Monday of the week whose slots were published last.
    let publishedWeek: DateComponents
    /// The next publication, a week after the last one.
    let nextPublication: DateComponents
    /// Three plausible slots in the published week: (identifier, French label).
    let slots: [(id: String, label: String)]

    private static let weekdays = ["Dimanche", "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi"]
    private static let months = [
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ]

    init(now: Date = Date()) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? TimeZone(secondsFromGMT: 3600)!
        let today = calendar.startOfDay(for: now)
        let weekday = calendar.component(.weekday, from: now)  // 1 = Sunday ... 4 = Wednesday
        let hour = calendar.component(.hour, from: now)
        var daysBack = (weekday - 4 + 7) % 7
        if daysBack == 0 && hour < 9 {
            daysBack = 7
        }
        func day(_ offset: Int, from base: Date) -> Date {
            calendar.date(byAdding: .day, value: offset, to: base) ?? base
        }
        let last = day(-daysBack, from: today)
        let monday = day(12, from: last)
        let fields: Set<Calendar.Component> = [.year, .month, .day, .weekday]
        lastPublication = calendar.dateComponents(fields, from: last)
        publishedWeek = calendar.dateComponents(fields, from: monday)
        nextPublication = calendar.dateComponents(fields, from: day(7, from: last))
        let times = [(0, "09h15", 9, 15), (1, "14h30", 14, 30), (3, "10h45", 10, 45)]
        slots = times.map { offset, time, hour, minute in
            let parts = calendar.dateComponents(fields, from: day(offset, from: monday))
            let year = parts.year ?? 2026
            let month = parts.month ?? 1
            let dayOfMonth = parts.day ?? 1
            let id = 8_800_000 + (month * 31 + dayOfMonth) * 100 + hour * 2 + minute / 15
            return ("\(id + year % 10 * 1_000_000)", "\(PageDates.longFrench(parts)) à \(time)")
        }
    }

    /// "18/11/2026"
    static func numeric(_ parts: DateComponents) -> String {
        func two(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        return "\(two(parts.day))/\(two(parts.month))/\(parts.year ?? 0)"
    }

    /// "Mardi 1er décembre 2026"
    static func longFrench(_ parts: DateComponents) -> String {
        let weekday = weekdays[((parts.weekday ?? 1) - 1) % 7]
        let day = parts.day == 1 ? "1er" : "\(parts.day ?? 0)"
        let month = months[((parts.month ?? 1) - 1) % 12]
        return "\(weekday) \(day) \(month) \(parts.year ?? 0)"
    }
}

enum Pages {
    static let simulatorNotice =
        "Simulateur temoin : page écrite pour les essais et la démonstration, ce n’est pas un site de l’État."

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    // MARK: Errors and index

    static func simplePage(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="fr">
        <head>
        \(Latin1.utf8Meta)
        <title>\(title)</title>
        </head>
        <body>
        \(body)
        <p class="simulateur">\(simulatorNotice)</p>
        </body>
        </html>

        """
    }

    static func badGateway() -> String {
        simplePage(
            title: "502 Bad Gateway",
            body: """
                <div class="bloc">
                  <p>RÉPUBLIQUE FRANÇAISE<br>Liberté Égalité Fraternité</p>
                  <h1>Service surchargé</h1>
                  <p>Le service de prise de rendez-vous en ligne est momentanément surchargé en raison d’un
                    nombre très important de connexions.</p>
                  <p>Merci de renouveler votre demande dans quelques minutes.</p>
                </div>
                <center><h1>502 Bad Gateway</h1></center>
                <hr><center>nginx</center>
                """
        )
    }

    static func maintenance() -> String {
        simplePage(
            title: "Site en maintenance - Préfecture simulée",
            body: """
                <main>
                  <h1>Site en maintenance</h1>
                  <p>Le module de prise de rendez-vous en ligne est temporairement indisponible en raison d’une
                    opération de maintenance programmée.</p>
                  <p>Le service sera rétabli dans les meilleurs délais.</p>
                </main>
                """
        )
    }

    static func notFound() -> String {
        simplePage(
            title: "Page introuvable",
            body: """
                <h1>Page introuvable</h1>
                <p>La page demandée n’existe pas ou a été déplacée. Vérifiez l’adresse saisie.</p>
                """
        )
    }

    static func methodNotAllowed() -> String {
        simplePage(
            title: "Méthode non autorisée",
            body: "<h1>Méthode non autorisée</h1>\n<p>Seules les méthodes GET, POST et HEAD sont acceptées.</p>"
        )
    }

    static func tooLarge() -> String {
        simplePage(title: "Requête trop volumineuse", body: "<h1>Requête trop volumineuse</h1>")
    }

    static func moved(to location: String) -> String {
        simplePage(
            title: "Document déplacé",
            body: "<h1>Document déplacé</h1>\n<p>Le document est ici : <a href=\"\(escape(location))\">suite</a>.</p>"
        )
    }

    /// The home page: entry points of both systems, and (at the root) one link per scenario.
    static func index(withScenarios: Bool) -> String {
        var items = [
            "<li><a href=\"booking/create/4963/0\">Module de rendez-vous des préfectures (ancien)</a></li>",
            "<li><a href=\"rdvpref/reservation/demarche/4567/\">RDV Préfecture</a></li>",
        ]
        if withScenarios {
            for scenario in Scenario.allCases {
                let name = scenario.rawValue
                items.append(
                    "<li>Scénario \(name) : <a href=\"scenario/\(name)/booking/create/4963/0\">ancien module</a>, "
                        + "<a href=\"scenario/\(name)/rdvpref/reservation/demarche/4567/\">RDV Préfecture</a></li>"
                )
            }
        }
        return simplePage(
            title: "Préfecture simulée (temoin)",
            body: "<h1>Préfecture simulée (temoin)</h1>\n<ul>\n" + items.joined(separator: "\n") + "\n</ul>"
        )
    }

    /// One line of endless filler for the `huge` scenario.
    static func fillerLine(_ number: Int) -> String {
        "<p class=\"remplissage\">Ligne \(number) : contenu de remplissage sans fin, "
            + "pour vérifier que le client limite la taille des pages qu’il accepte.</p>\n"
    }

    static let hugePrologue = """
        <!DOCTYPE html>
        <html lang="fr">
        <head>
        \(Latin1.utf8Meta)
        <title>Page sans fin - Préfecture simulée</title>
        </head>
        <body>

        """
}
