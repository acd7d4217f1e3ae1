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

    // MARK: Legacy prefecture module

    private static let legacySteps = [
        "1. Conditions", "2. Choix du guichet", "3. Choix de la date", "4. Description", "5. Confirmation",
    ]

    static let counters = [
        ("5318", "Guichet 1 - Titres de séjour"),
        ("5319", "Guichet 2 - Admission exceptionnelle"),
    ]

    static func legacyLayout(step: Int, form: String) -> String {
        let steps = legacySteps.enumerated().map { index, label in
            "        <li class=\"\(index == step ? "active" : "")\">\(label)</li>"
        }.joined(separator: "\n")
        return """
            <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
            "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
            <html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr" lang="fr">
            <head>
            \(Latin1.utf8Meta)
            <title>Prendre un rendez-vous - Les services de l’État (préfecture simulée)</title>
            <meta name="description" content="Prise de rendez-vous en ligne - bureau des étrangers" />
            <style type="text/css">
              body { font: 13px/1.5 Arial, Helvetica, sans-serif; margin: 0; background: #f4f4f4; }
              #bandeau { background: #fff; padding: 10px 20px; border-bottom: 4px solid #00559b; }
              #menu-principal ul { margin: 0; padding: 0; list-style: none; background: #00559b; }
              #menu-principal li { display: inline-block; padding: 8px 14px; }
              #menu-principal a { color: #fff; text-decoration: none; }
              #cookies { position: fixed; bottom: 0; left: 0; right: 0; background: #333; color: #fff; padding: 10px; }
              #contenu { background: #fff; width: 940px; margin: 15px auto; padding: 20px; }
              .etapes li { display: inline-block; padding: 4px 8px; color: #999; }
              .etapes li.active { color: #00559b; font-weight: bold; }
              .Bloc_Erreur { color: #b00; font-weight: bold; }
              #FormBookingCreate fieldset { border: 1px solid #ccc; padding: 10px 15px; }
              #pied { font-size: 11px; text-align: center; color: #555; padding: 20px; }
            </style>
            <script type="text/javascript">
              // <![CDATA[
              var bookingStep = \(step);
              var messages = { vide: "Il n'existe plus de plage horaire libre", choix: "Choix d'une plage horaire" };
              function acceptCookies() {
                document.cookie = "cookies_ok=1; path=/";
                document.getElementById("cookies").style.display = "none";
              }
              // ]]>
            </script>
            </head>
            <body class="booking">
            \(step == 0 ? cookieBanner : "")
            <div id="bandeau">
              <div class="marianne">Liberté • Égalité • Fraternité<br />
                RÉPUBLIQUE FRANÇAISE</div>
              <p class="prefet">PRÉFECTURE SIMULÉE</p>
            </div>
            <div id="menu-principal">
              <ul>
                <li><a href="#">Actualités</a></li>
                <li><a href="#">Démarches administratives</a></li>
                <li><a href="#">Services de l’État</a></li>
              </ul>
            </div>
            <div id="contenu">
              <p class="fil-ariane">Accueil &gt; Démarches administratives &gt; Prendre un rendez-vous</p>
              <h1>Demande de titre de séjour – Bureau des étrangers</h1>
              <ol class="etapes">
            \(steps)
              </ol>
            \(form)
            </div>
            <div id="pied">
              <p>Services de l’État – Préfecture simulée</p>
              <p class="simulateur">\(simulatorNotice)</p>
            </div>
            </body>
            </html>

            """
    }

    private static let cookieBanner = """
        <div id="cookies" role="dialog" aria-label="Gestion des cookies">
          <p>Ce site utilise des cookies nécessaires à son fonctionnement et des cookies de mesure
            d’audience. En poursuivant votre navigation, vous acceptez leur utilisation.
            <button type="button" onclick="acceptCookies()">J’accepte</button></p>
        </div>
        """

    static func legacyConditions(error: Bool) -> String {
        let message =
            error
            ? """
                  <p class="Bloc_Erreur" role="alert">Veuillez accepter les conditions d’utilisation \
            avant de continuer.</p>

            """ : ""
        return legacyLayout(
            step: 0,
            form: """
                  <form id="FormBookingCreate" name="FormBookingCreate" method="post" action="">
                    <fieldset>
                      <legend>Conditions d’utilisation</legend>
                \(message)      <p>Veuillez vérifier, avant de poursuivre, que vous disposez de l’ensemble des pièces
                        demandées pour votre démarche. Un seul rendez-vous peut être pris par personne.</p>
                      <p class="condition">
                        <input type="checkbox" id="condition" name="condition" value="on" />
                        <label for="condition">Veuillez cocher la case pour accepter les conditions d’utilisation
                          avant de continuer le processus de prise de rendez-vous.</label>
                      </p>
                      <p><input type="submit" name="nextButton" value="Effectuer une demande de rendez-vous" \
                class="Bouton" /></p>
                    </fieldset>
                  </form>
                """
        )
    }

    static func legacyCounters(error: Bool) -> String {
        let radios = counters.map { value, label in
            """
                        <p><input type="radio" id="planning\(value)" name="planning" value="\(value)" />
                          <label for="planning\(value)">\(label)</label></p>
            """
        }.joined(separator: "\n")
        let message =
            error ? "      <p class=\"Bloc_Erreur\" role=\"alert\">Veuillez choisir un guichet.</p>\n" : ""
        return legacyLayout(
            step: 1,
            form: """
                  <form id="FormBookingCreate" name="FormBookingCreate" method="post" action="">
                    <fieldset>
                      <legend>Choix du guichet</legend>
                \(message)\(radios)
                      <p><input type="submit" name="nextButton" value="Etape suivante" class="Bouton" /></p>
                    </fieldset>
                  </form>
                """
        )
    }

    static func legacyNoSlot(planning: String) -> String {
        legacyLayout(
            step: 1,
            form: """
                  <form id="FormBookingCreate" name="FormBookingCreate" method="post" action="">
                    <fieldset>
                      <legend>Demande de rendez-vous</legend>
                      <p class="Bloc_Texte">
                        Il n'existe plus de plage horaire libre pour votre demande de rendez-vous.
                        Veuillez recommencer ultérieurement.
                      </p>
                      <input type="hidden" name="planning" value="\(escape(planning))" />
                      <p><input type="submit" name="finishButton" value="Terminer" class="Bouton" /></p>
                    </fieldset>
                  </form>
                """
        )
    }

    static func legacySlots(planning: String, dates: PageDates) -> String {
        let radios = dates.slots.enumerated().map { index, slot in
            """
                        <p><input type="radio" id="nextStepDate\(index)" name="nextStepDate" value="\(slot.id)" />
                          <label for="nextStepDate\(index)">\(slot.label)</label></p>
            """
        }.joined(separator: "\n")
        return legacyLayout(
            step: 2,
            form: """
                  <form id="FormBookingCreate" name="FormBookingCreate" method="post" action="">
                    <fieldset>
                      <legend>Demande de rendez-vous</legend>
                      <h2>Choix d'une plage horaire</h2>
                \(radios)
                      <input type="hidden" name="planning" value="\(escape(planning))" />
                      <p><input type="submit" name="nextButton" value="Etape suivante" class="Bouton" /></p>
                    </fieldset>
                  </form>
                """
        )
    }

    static func legacyEnd() -> String {
        legacyLayout(
            step: 3,
            form: """
                  <form id="FormBookingCreate" name="FormBookingCreate" method="post" action="0">
                    <p>Fin de la simulation : aucun rendez-vous n’est réservé par le simulateur.</p>
                    <p><input type="submit" name="nextButton" value="Recommencer" class="Bouton" /></p>
                  </form>
                """
        )
    }

    // MARK: RDV Préfecture

    static func rdvLayout(title: String, step: Int, demarche: String, section: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="fr" data-fr-scheme="light">
        <head>
        \(Latin1.utf8Meta)
        <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
        <meta name="format-detection" content="telephone=no">
        <title>\(title) - RDV Préfecture</title>
        <style>
          :root { --bleu-france: #000091; --rouge-marianne: #e1000f; --gris: #666; }
          body { margin: 0; font-family: "Marianne", arial, sans-serif; color: #161616; }
          .fr-header { border-bottom: 1px solid #ddd; padding: 1rem 2rem; display: flex; gap: 2rem; }
          .fr-logo { font-weight: 700; text-transform: uppercase; line-height: 1.1; }
          .fr-container { max-width: 62rem; margin: 0 auto; padding: 1.5rem 2rem; }
          .fr-alert--info { border-left: 4px solid var(--bleu-france); padding: .75rem 1rem; background: #f5f5fe; }
          .fr-alert--error { border-left: 4px solid var(--rouge-marianne); padding: .75rem 1rem; }
          .radio-card { border: 1px solid #ddd; margin: .5rem 0; padding: .75rem 1rem; list-style: none; }
          .fr-footer { border-top: 2px solid var(--bleu-france); padding: 2rem; font-size: .875rem; color: var(--gris); }
          .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        </style>
        <script>
          // Configuration de la page : ce texte n'est jamais affiché.
          window.rdvConfig = {
            demarche: \(demarche),
            libelles: { choix: "Choisissez votre créneau", vide: "Aucun créneau disponible", suivant: "Suivant" },
            delaiSession: 1200
          };
        </script>
        </head>
        <body>
        <header role="banner" class="fr-header">
          <div class="fr-header__brand">
            <p class="fr-logo">RÉPUBLIQUE<br>FRANÇAISE</p>
          </div>
          <div class="fr-header__service">
            <p class="fr-header__service-title">RDV Préfecture</p>
            <p class="fr-header__service-tagline">Prise de rendez-vous en préfecture et sous-préfecture</p>
          </div>
        </header>
        <main role="main" id="contenu" class="fr-container">
          <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
            <ol>
              <li>Accueil</li>
              <li>Prendre un rendez-vous</li>
              <li><a aria-current="page">Préfecture simulée – Titre de séjour</a></li>
            </ol>
          </nav>
          <h1>Préfecture simulée – Demande ou renouvellement de titre de séjour</h1>
          <div class="fr-stepper">
            <h2 class="fr-stepper__title sr-only">Étapes de la réservation</h2>
            <p class="fr-stepper__state">Étape \(step) sur 4</p>
          </div>
        \(section)
        </main>
        <footer class="fr-footer" role="contentinfo" id="footer">
          <p class="fr-footer__content-desc">Ce service est opéré par le ministère de l’Intérieur
            pour le compte des préfectures et sous-préfectures. Aucun intermédiaire n’est habilité
            à vendre un rendez-vous : la prise de rendez-vous est gratuite.</p>
          <p class="simulateur">\(simulatorNotice)</p>
        </footer>
        </body>
        </html>

        """
    }

    static func rdvDemarche(demarche: String) -> String {
        rdvLayout(
            title: "Prendre un rendez-vous",
            step: 1,
            demarche: demarche,
            section: """
                  <section class="fr-mt-4w" aria-labelledby="titre-demarche">
                    <h2 id="titre-demarche">Prendre un rendez-vous</h2>
                    <p>Cette démarche permet de prendre rendez-vous pour une première demande ou un renouvellement
                      de titre de séjour. Préparez vos pièces justificatives avant de commencer.</p>
                    <p><a class="fr-btn" href="cgu/" id="bouton-prendre-rdv">Prendre un rendez-vous</a></p>
                  </section>
                """
        )
    }

    static func rdvCaptcha(demarche: String, code: String, error: Bool) -> String {
        let message =
            error
            ? """
                <div class="fr-alert fr-alert--error" role="alert">
                  <p>Le code de sécurité saisi est incorrect. Veuillez recommencer.</p>
                </div>

            """ : ""
        return rdvLayout(
            title: "Conditions d’utilisation",
            step: 2,
            demarche: demarche,
            section: """
                  <section class="fr-mt-4w" aria-labelledby="titre-cgu">
                    <h2 id="titre-cgu">Conditions d’utilisation</h2>
                \(message)    <div class="fr-callout">
                      <p>La prise de rendez-vous est personnelle et gratuite. Un rendez-vous obtenu par un tiers
                        contre rémunération peut être annulé.</p>
                    </div>
                    <form method="post" action="" id="form-cgu">
                      <fieldset class="fr-fieldset" id="captcha-fieldset">
                        <legend>Vérification : vous n’êtes pas un robot</legend>
                        <p id="captcha-aide">Saisissez le code de sécurité affiché dans l’image ci-dessous
                          (lettres et chiffres, sans espace).</p>
                        <div class="captcha-bloc">
                          <img id="captchaFR_CaptchaImage" src="\(CaptchaImage.dataURI(for: code))" \
                alt="Code de sécurité à recopier" width="\(CaptchaImage.width)" height="\(CaptchaImage.height)">
                        </div>
                        <input type="hidden" name="captchaId" value="captchaFR">
                        <label class="fr-label" for="captchaFormulaireExtInput">Code de sécurité</label>
                        <input class="fr-input" type="text" id="captchaFormulaireExtInput" name="captchaUsercode"
                          autocomplete="off" aria-describedby="captcha-aide" required>
                      </fieldset>
                      <button type="submit" class="fr-btn" id="bouton-suivant">Suivant</button>
                    </form>
                  </section>
                """
        )
    }

    static func rdvNoSlot(demarche: String, dates: PageDates) -> String {
        let last = PageDates.numeric(dates.lastPublication)
        let week = PageDates.numeric(dates.publishedWeek)
        let next = PageDates.numeric(dates.nextPublication)
        return rdvLayout(
            title: "Prendre un rendez-vous",
            step: 2,
            demarche: demarche,
            section: """
                  <section class="fr-mt-4w" aria-labelledby="titre-creneaux">
                    <h2 id="titre-creneaux">Aucun créneau disponible</h2>
                    <div class="fr-alert fr-alert--info">
                      <p>Aucun créneau disponible à partir de cette date. Veuillez réessayer ultérieurement.</p>
                    </div>
                    <p>Les rendez-vous sont mis en ligne régulièrement. L’ensemble des créneaux d’une semaine
                      est publié en une seule fois : inutile d’actualiser la page en continu.</p>
                    <div class="fr-callout" id="informations-publication">
                      <h3 class="fr-callout__title">Calendrier de mise en ligne</h3>
                      <p class="fr-callout__text">Dernière mise en ligne de rendez-vous : le \(last) à 09:00 \
                pour des créneaux de la semaine du \(week)</p>
                      <p class="fr-callout__text">Prochaine mise en ligne de nouveaux rendez-vous : le \(next) \
                à 09:00</p>
                    </div>
                    <p><a class="fr-btn fr-btn--secondary" href="../">Retour à la démarche</a></p>
                  </section>
                """
        )
    }

    static func rdvSlots(demarche: String, dates: PageDates) -> String {
        let cards = dates.slots.map { slot in
            """
                      <li class="radio-card">
                        <input type="radio" name="trhId" value="\(slot.id)" id="trh-\(slot.id)" required>
                        <label for="trh-\(slot.id)">\(slot.label)
                          <span class="guichet">Guichet étrangers – Préfecture simulée</span></label>
                      </li>
            """
        }.joined(separator: "\n")
        let monday = PageDates.numeric(dates.publishedWeek)
        return rdvLayout(
            title: "Prendre un rendez-vous",
            step: 2,
            demarche: demarche,
            section: """
                  <section class="fr-mt-4w" aria-labelledby="titre-choix">
                    <h2 id="titre-choix">Choisissez votre créneau</h2>
                    <p>Les créneaux ci-dessous sont réservés pendant 20 minutes une fois sélectionnés.</p>
                    <form method="post" action="" id="form-creneau">
                      <fieldset class="fr-fieldset">
                        <legend class="fr-fieldset__legend">Semaine du \(monday)</legend>
                        <ul class="fr-radio-rich">
                \(cards)
                        </ul>
                      </fieldset>
                      <button type="submit" class="fr-btn">Suivant</button>
                    </form>
                  </section>
                """
        )
    }

    static func rdvEnd(demarche: String) -> String {
        rdvLayout(
            title: "Fin de la simulation",
            step: 3,
            demarche: demarche,
            section: """
                  <section class="fr-mt-4w">
                    <h2>Fin de la simulation</h2>
                    <p>Le simulateur ne réserve aucun rendez-vous.</p>
                    <p><a class="fr-btn" href="../">Retour à la démarche</a></p>
                  </section>
                """
        )
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
