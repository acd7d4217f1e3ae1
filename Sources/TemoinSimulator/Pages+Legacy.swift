import Foundation

/// The legacy prefecture module (`/booking/create/<id>/<step>`): its steps, counters and planning pages.
extension Pages {
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
}
