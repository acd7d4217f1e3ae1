import Foundation

/// RDV Préfecture (`/rdvpref/reservation/demarche/<id>/…`): démarche, CAPTCHA, slot and end pages.
extension Pages {
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
}
