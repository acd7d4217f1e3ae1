import Foundation
import TemoinKit

/// Realistic saved pages of the RDV Préfecture site: the same markup skeleton as the real pages (in
/// a chrome of its own, not the test fixtures' layout: the DSFR stylesheet linked, the skip link in the
/// header, the logo on one line, one menu), a
/// body of French text drawn from a word list with a Zipf-like frequency (a few words very common,
/// most rare, as in real prose), numbers, dates, links and opaque tokens. Pages are distinct from
/// each other and compress with zlib about as real HTML does (4-5 times), since each capture is
/// compressed alone.
struct PageGenerator {
    var random: SeededRandom

    // The pages of earlier runs started from the seed plus SplitMix's increment: kept, so a seed still
    // names the same pages.
    init(seed: UInt64) { random = SeededRandom(seed: seed &+ 0x9E37_79B9_7F4A_7C15) }

    static let words: [[UInt8]] = frenchWords.split(separator: " ").map { Array($0.utf8) }
    static let capitalised: [[UInt8]] = words.map { Array(String(decoding: $0, as: UTF8.self).capitalized.utf8) }

    static let prefectures = [
        "Préfecture du Val-de-Marne", "Préfecture de la Seine-Saint-Denis", "Préfecture de police de Paris",
        "Préfecture des Hauts-de-Seine", "Préfecture du Rhône", "Préfecture des Bouches-du-Rhône",
        "Préfecture de la Haute-Garonne", "Préfecture du Nord", "Préfecture de la Gironde",
        "Sous-préfecture de Nogent-sur-Marne", "Préfecture de l’Essonne", "Préfecture des Yvelines",
    ]
    static let procedures = [
        "Demande ou renouvellement de titre de séjour", "Remise de titre de séjour", "Naturalisation par décret",
        "Changement de statut étudiant vers salarié", "Admission exceptionnelle au séjour",
        "Duplicata de titre de séjour", "Document de circulation pour étranger mineur",
    ]

    static let head = Array(
        """
        <!DOCTYPE html>
        <html lang="fr" data-fr-scheme="light">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
        <meta name="format-detection" content="telephone=no">

        """.utf8)

    static let style = Array(
        """
        <link rel="icon" href="/rdvpref/static/favicon.ico" type="image/x-icon">
        <link rel="stylesheet" href="/rdvpref/static/dsfr/dsfr.min.css?v=1.10.2">
        <style>
          /* The DSFR stylesheet above styles the page; these rules are this chrome's own. */
          .fr-skiplink { position: absolute; left: -999px; }
          .fr-skiplink:focus { left: 1rem; top: 1rem; }
          .fr-callout { margin-bottom: 1.5rem; }
        </style>
        </head>
        <body>
        <header role="banner" class="fr-header">
          <a class="fr-link fr-skiplink" href="#contenu">Aller au contenu</a>
          <div class="fr-header__brand">
            <p class="fr-logo">RÉPUBLIQUE<br>FRANÇAISE<span class="devise">Liberté<br>Égalité<br>Fraternité</span></p>
          </div>
          <div class="fr-header__service">
            <a href="/rdvpref/" title="Accueil - RDV Préfecture"><p class="fr-header__service-title">RDV Préfecture</p></a>
            <p class="fr-header__service-tagline">Prise de rendez-vous en préfecture et sous-préfecture</p>
          </div>
        </header>
        <nav class="fr-nav" role="navigation" aria-label="Menu principal">
          <ul>
            <li><a href="/rdvpref/">Accueil</a></li>
            <li><a href="/rdvpref/reservation/">Prendre un rendez-vous</a></li>
            <li><a href="/rdvpref/annulation/">Annuler un rendez-vous</a></li>
            <li><a href="/rdvpref/aide/">Aide</a></li>
          </ul>
        </nav>

        """.utf8)

    static let footer = Array(
        """
        </main>
        <footer class="fr-footer" role="contentinfo" id="footer">
          <div class="fr-footer__body">
            <p class="fr-logo">RÉPUBLIQUE<br>FRANÇAISE</p>
            <p class="fr-footer__content-desc">Ce service est opéré par le ministère de l’Intérieur
              pour le compte des préfectures et sous-préfectures. Aucun intermédiaire n’est habilité
              à vendre un rendez-vous : la prise de rendez-vous est gratuite.</p>
          </div>
          <div class="fr-footer__bottom">
            <ul class="fr-footer__bottom-list">
              <li><a href="/rdvpref/plan-du-site/">Plan du site</a></li>
              <li><a href="/rdvpref/accessibilite/">Accessibilité : partiellement conforme</a></li>
              <li><a href="/rdvpref/mentions-legales/">Mentions légales</a></li>
              <li><a href="/rdvpref/donnees-personnelles/">Données personnelles</a></li>
            </ul>
            <p class="fr-footer__bottom-copy">Sauf mention contraire, tous les contenus de ce site sont sous
              licence etalab-2.0</p>
          </div>
        </footer>
        </body>
        </html>

        """.utf8)

    static let noSlot = Array(
        """
          <section class="fr-mt-4w" aria-labelledby="titre-creneaux">
            <h2 id="titre-creneaux">Aucun créneau disponible</h2>
            <div class="fr-alert fr-alert--info">
              <p>Aucun créneau disponible à partir de cette date. Veuillez réessayer ultérieurement.</p>
            </div>
          </section>

        """.utf8)

    /// One page of about `bytes` bytes. With `savedFrom`, it starts with the comment a browser writes
    /// when saving ("saved from url=(0087)https://..."), as the pages people import do.
    mutating func page(bytes target: Int, demarche: Int, savedFrom: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(target + 4096)
        let url = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/\(demarche)/creneau/"
        if savedFrom {
            let len = String(url.utf8.count)
            append(
                &out, "<!-- saved from url=(\(String(repeating: "0", count: max(0, 4 - len.count)) + len))\(url) -->\n")
        }
        out += Self.head
        let prefecture = Self.prefectures[random.below(Self.prefectures.count)]
        let procedure = Self.procedures[random.below(Self.procedures.count)]
        append(&out, "<title>Prendre un rendez-vous - \(prefecture) - RDV Préfecture</title>\n")
        append(&out, "<meta name=\"_csrf\" content=\"")
        token(&out, 36)
        append(&out, "\">\n<script>\n  window.rdvConfig = { demarche: \(demarche), session: \"")
        token(&out, 24)
        append(&out, "\", delaiSession: \(random.range(600...1800)) };\n</script>\n")
        out += Self.style
        append(&out, "<main role=\"main\" id=\"contenu\" class=\"fr-container\">\n")
        append(&out, "  <h1>\(prefecture) – \(procedure)</h1>\n")
        append(&out, "  <p class=\"fr-stepper__state\">Étape \(random.range(1...4)) sur 4</p>\n")
        out += Self.noSlot
        let stop = target - Self.footer.count
        while out.count < stop {
            switch random.below(10) {
            case 0...4: paragraph(&out)
            case 5, 6: links(&out)
            case 7, 8: table(&out)
            default: dataBlock(&out)
            }
        }
        out += Self.footer
        return out
    }

    private func append(_ out: inout [UInt8], _ s: String) { out.append(contentsOf: s.utf8) }

    /// Zipf-like choice: small indices (common words) far more often than large ones.
    private mutating func word() -> [UInt8] {
        let u = random.unit()
        return Self.words[Int(Double(Self.words.count) * u * u * u)]
    }

    private mutating func sentence(_ out: inout [UInt8], words n: Int) {
        for i in 0..<n {
            if i == 0 {
                let u = random.unit()
                out += Self.capitalised[Int(Double(Self.words.count) * u * u * u)]
            } else {
                out.append(0x20)
                out += word()
            }
            if i > 0, i < n - 1, random.below(14) == 0 { out.append(UInt8(ascii: ",")) }
        }
        out.append(random.below(8) == 0 ? UInt8(ascii: ";") : UInt8(ascii: "."))
    }

    private mutating func number(_ out: inout [UInt8], _ r: ClosedRange<Int>, width: Int = 0) {
        let s = String(random.range(r))
        if s.count < width { out += Array(repeating: UInt8(ascii: "0"), count: width - s.count) }
        out += Array(s.utf8)
    }

    private mutating func date(_ out: inout [UInt8]) {
        number(&out, 1...28, width: 2)
        out.append(UInt8(ascii: "/"))
        number(&out, 1...12, width: 2)
        out += Array("/202".utf8)
        number(&out, 4...7)
        out += Array(" à ".utf8)
        number(&out, 8...17, width: 2)
        out.append(UInt8(ascii: ":"))
        number(&out, 0...3)
        out.append(UInt8(ascii: "0"))
    }

    private mutating func token(_ out: inout [UInt8], _ n: Int) {
        let alphabet = Array("0123456789abcdef".utf8)
        for _ in 0..<n { out.append(alphabet[random.below(16)]) }
    }

    private mutating func paragraph(_ out: inout [UInt8]) {
        out += Array("  <div class=\"fr-callout fr-mb-".utf8)
        number(&out, 1...4)
        out += Array("w\">\n    <h3 class=\"fr-callout__title\">".utf8)
        sentence(&out, words: random.range(3...8))
        out += Array("</h3>\n".utf8)
        for _ in 0..<random.range(1...3) {
            out += Array("    <p class=\"fr-callout__text\">".utf8)
            for _ in 0..<random.range(2...6) {
                sentence(&out, words: random.range(6...22))
                out.append(0x20)
            }
            out += Array("</p>\n".utf8)
        }
        out += Array("  </div>\n".utf8)
    }

    private mutating func links(_ out: inout [UInt8]) {
        out += Array("  <ul class=\"fr-links-group\">\n".utf8)
        for _ in 0..<random.range(3...9) {
            out += Array("    <li><a class=\"fr-link\" href=\"/rdvpref/reservation/demarche/".utf8)
            number(&out, 1000...9999)
            out += Array("/\" title=\"".utf8)
            sentence(&out, words: random.range(2...5))
            out += Array("\">".utf8)
            sentence(&out, words: random.range(2...6))
            out += Array("</a></li>\n".utf8)
        }
        out += Array("  </ul>\n".utf8)
    }

    private mutating func table(_ out: inout [UInt8]) {
        out += Array(
            "  <table class=\"fr-table\">\n    <thead><tr><th>Date</th><th>Guichet</th><th>Statut</th></tr></thead>\n    <tbody>\n"
                .utf8)
        for _ in 0..<random.range(3...10) {
            out += Array("      <tr><td>".utf8)
            date(&out)
            out += Array("</td><td>Guichet ".utf8)
            number(&out, 1...24)
            out += Array("</td><td>".utf8)
            sentence(&out, words: random.range(2...5))
            out += Array("</td></tr>\n".utf8)
        }
        out += Array("    </tbody>\n  </table>\n".utf8)
    }

    private mutating func dataBlock(_ out: inout [UInt8]) {
        out += Array("  <div hidden data-controller=\"creneaux\" data-horodatage=\"".utf8)
        number(&out, 1_700_000_000...1_800_000_000)
        out += Array("\" data-jeton=\"".utf8)
        token(&out, 32)
        out += Array("\">\n    <input type=\"hidden\" name=\"trhId\" value=\"".utf8)
        number(&out, 100_000...999_999)
        out += Array("\">\n    <span class=\"sr-only\">".utf8)
        sentence(&out, words: random.range(4...12))
        out += Array("</span>\n  </div>\n".utf8)
    }
}

/// Common French words, most frequent first (the generator draws the first ones far more often).
let frenchWords = """
    de la le et les des en un une du à est pour que qui dans par sur pas au plus ne ce il avec se sont \
    son vous nous mais ou sa ont été aux elle cette ses tout leur fait comme entre peut bien aussi deux \
    être sans dont ils même après avant lors rendez-vous préfecture créneau demande titre séjour dossier \
    pièces justificatives disponible réessayer ultérieurement date semaine guichet accueil service \
    étranger étrangère usager usagère démarche réservation confirmation courriel adresse téléphone \
    passeport récépissé autorisation provisoire renouvellement première délivrance changement statut \
    salarié étudiant famille vie privée conjoint français parent enfant mineur naturalisation décret \
    instruction délai mois jours heures minutes matin après-midi lundi mardi mercredi jeudi vendredi \
    samedi dimanche janvier février mars avril mai juin juillet août septembre octobre novembre décembre \
    nouvelle nouveau mise ligne publication prochaine dernière calendrier ouverture fermeture horaires \
    sous-préfecture ministère intérieur direction départementale bureau section pôle accueil \
    convocation présentation original copie photographie identité timbre fiscal justificatif domicile \
    ressources avis imposition contrat travail bulletins salaire attestation hébergement acte naissance \
    mariage livret certificat médical scolarité inscription université diplôme stage visa long \
    validité expiration prolongation situation régulière irrégulière recours gracieux contentieux \
    tribunal administratif juge référé mesures utiles injonction avocat association aide juridictionnelle \
    preuve tentatives connexion impossibilité obtenir capture écran constat huissier témoin attestation \
    plateforme numérique site internet page erreur maintenance surcharge serveur indisponible captcha \
    code sécurité image vérification robot navigateur session expirée identifiant mot passe compte \
    personnel données protection règlement général cookies accessibilité mentions légales plan aide \
    questions fréquentes contact formulaire envoi message réponse traitement attente file numéro \
    personne personnes public publique catégorie motif choix liste suivante précédente retour étape \
    valider annuler modifier imprimer télécharger fichier pièce jointe format taille maximale \
    préalable obligatoire facultatif conditions générales utilisation accepter lire attentivement \
    information importante attention veuillez noter merci votre compréhension patience difficultés \
    rencontrées actuellement forte demande nombre limité places ensemble territoire national département \
    région commune ville quartier rue avenue boulevard place bâtiment étage porte entrée sortie \
    accès transport métro bus tramway gare parking handicap mobilité réduite accompagnant interprète \
    langue traduction assermenté frais gratuit payant tarif euros montant paiement carte bancaire \
    ligne droits devoirs obligations loi code entrée séjour asile article alinéa circulaire \
    instruction ministérielle jurisprudence conseil état décision arrêt jugement ordonnance \
    exécution astreinte condamnation frais irrépétibles requérant requérante défendeur administration \
    silence gardé vaut rejet implicite explicite motivation notification voies délais recours
    """
