import Foundation
import TemoinPDF
import TestSupport
import Testing

@testable import TemoinKit

/// PJ2 shows pages as images drawn by the browser temoin drives, from the stored bytes only.
@Suite(.serialized) struct PageRendererTests {
    static var browserAvailable: Bool { (try? BrowserLocator.locate()) != nil }

    @Test(.enabled(if: browserAvailable, "no Chrome or Chromium"))
    func pagesAreDrawnFromTheStoredBytesWithTheSimulatorStopped() throws {
        let sim = try SimulatorProcess()
        let dir = TempDir()
        let store = dir.file("temoin.sqlite")
        var args = Fixtures.initArguments
        args[args.firstIndex(of: "--booking-url")! + 1] = sim.baseURL + "/booking/create/4963/0"
        #expect(try temoin(args, store: store).status == 0)
        for scenario in ["no-slot", "overload-502", "slot-available", "no-slot"] {
            let r = try temoin(
                ["attempt", "--url", "\(sim.baseURL)/scenario/\(scenario)/booking/create/4963/0"], store: store)
            #expect(r.status == 0, "\(scenario): \(r.stderr)")
        }
        // The prefecture goes away: whatever the dossier shows must come from the store.
        #expect(sim.stop() == 0)
        let out = dir.file("out")
        let r = try temoin(["dossier", "--out", out, "--lang", "fr", "--json"], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        let result = try JSONDecoder().decode(DossierResult.self, from: r.stdoutData)
        #expect(result.pageRenderer != nil)
        #expect(result.pageImagesUnavailable == nil)
        let pj2 = try #require(result.files.first { $0.piece == 2 })
        // First and last no-slot, the overload page, the slot (the attempt after it is the last no-slot):
        // four images, each 1024 pixels wide, the width pages are drawn at.
        let images = try run("/usr/bin/env", ["pdfimages", "-list", pj2.path]).stdout.split(separator: "\n")
            .dropFirst(2).map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        // Distinct image objects: a tall page drawn over two PDF pages is one image.
        let objects = Set(images.map { $0[10] })
        #expect(objects.count == 4, "\(images)")
        #expect(images.allSatisfy { $0[3] == "1024" })
        let text = CaseBuilder.flat(try CaseBuilder.pdftotext(pj2.path))
        #expect(text.contains("rendues en image par temoin, dans un navigateur sans accès au réseau"))
        #expect(
            text.components(separatedBy: "Image rendue par temoin à partir des octets enregistrés, sans réseau").count
                - 1 == 4)
        for reason in [
            "Première tentative sans créneau : tentative n° 2", "Erreur du site : tentative n° 3",
            "Créneau affiché : tentative n° 4", "Dernière tentative sans créneau : tentative n° 5",
        ] {
            #expect(text.contains(reason), "\(reason)")
        }
        // The banner: address, date and time, number, digest.
        let entry = try Store.open(at: store, readOnly: true).entry(seq: 2)
        let digest = try #require(entry.body?.captures?.last { $0.role == "page" }?.digest)
        #expect(CaseBuilder.compact(text).contains(digest))
        #expect(text.contains("\(sim.baseURL)/scenario/no-slot/booking/create/4963/2"))
        // The index lists every distinct page.
        #expect(text.contains("Index des pages distinctes"))
        #expect(text.contains("Aucun créneau") && text.contains("Erreur du site"))

        // The same page drawn by the library: its own title read back by the browser, its only request
        // answered from the store.
        let renderer = try PageRenderer.start()
        defer { renderer.close() }
        let storeFile = try Store.open(at: store, readOnly: true)
        let bytes = try #require(try storeFile.captureBytes(digest: digest))
        let url = try #require(entry.body?.url)
        let page = try renderer.render(PageRenderRequest(url: url, html: bytes, mediaType: "text/html"))
        #expect(page.title == entry.body?.title)
        #expect(page.requested.first == url)
        let image = try #require(PNGImage(data: page.png))
        #expect(image.width == 1024 && image.height == page.height)
    }

    @Test(.enabled(if: browserAvailable, "no Chrome or Chromium"))
    func aHostilePageGetsNothingFromTheNetwork() throws {
        let listener = try LocalListener()
        defer { listener.stop() }
        let base = listener.base
        let html = Data(
            """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>Page hostile</title>
            <link rel="preconnect" href="\(base)"><link rel="dns-prefetch" href="\(base)">
            <link rel="stylesheet" href="\(base)/style.css"><link rel="icon" href="\(base)/favicon.ico">
            <meta http-equiv="refresh" content="0;url=\(base)/ailleurs">
            <script src="\(base)/script.js"></script>
            <script>fetch("\(base)/fetch"); new Image().src = "\(base)/beacon";</script>
            </head><body><h1>Aucun créneau disponible</h1><img src="\(base)/image.png">
            <iframe src="\(base)/frame"></iframe><video src="\(base)/video.mp4"></video>
            <form action="\(base)/form" method="post"><input type="submit"></form></body></html>
            """.utf8)
        let renderer = try PageRenderer.start()
        let page = try renderer.render(
            PageRenderRequest(
                url: "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/creneau/",
                html: html, mediaType: "text/html; charset=utf-8"))
        // Stay a moment: a late request (a refresh, a prefetch) would show now.
        Thread.sleep(forTimeInterval: 2)
        renderer.close()
        #expect(listener.connections == 0, "the page reached the network \(listener.connections) time(s)")
        #expect(page.title == "Page hostile")
        #expect(page.missingResources >= 2, "\(page.requested)")
        #expect(!page.requested.contains { $0.hasSuffix("/fetch") || $0.hasSuffix("/beacon") }, "a script ran")
        #expect(PNGImage(data: page.png) != nil)
    }

    @Test(.enabled(if: browserAvailable, "no Chrome or Chromium"))
    func aCompleteSavedPageIsDrawnWithItsOwnFiles() throws {
        let (dir, store) = try makeStore()
        let r = try temoin(["import", Fixtures.page("complete/Prendre un rendez-vous.html")], store: store.path)
        #expect(r.status == 0, "\(r.stderr)")
        let entry = try Store.open(at: store.path, readOnly: true).entry(seq: 2)
        let captures = try #require(entry.body?.captures)
        let page = try #require(captures.last { $0.role == "page" })
        let resources = captures.filter { $0.role == "resource" }.compactMap { ref -> (name: String, bytes: Data)? in
            guard let name = ref.name, let bytes = try? store.captureBytes(digest: ref.digest) else { return nil }
            return (name, bytes)
        }
        #expect(resources.count == 3)
        let renderer = try PageRenderer.start()
        defer { renderer.close() }
        let drawn = try renderer.render(
            PageRenderRequest(
                url: try #require(entry.body?.url), html: try #require(try store.captureBytes(digest: page.digest)),
                mediaType: page.mediaType, resources: resources))
        #expect(drawn.servedResources >= 2, "\(drawn.requested)")
        #expect(drawn.missingResources == 0, "\(drawn.requested)")
        _ = dir
    }

    @Test func withoutABrowserPJ2SaysSoAndKeepsTheText() throws {
        let (dir, store) = try CaseBuilder.makeCase()
        let out = dir.file("out")
        let r = try temoin(
            ["dossier", "--out", out, "--lang", "fr", "--browser-path", dir.file("no-such-browser")], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("reproduites en texte, pas en image"))
        let pj2 = try #require(try FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasPrefix("PJ2") })
        let text = CaseBuilder.flat(try CaseBuilder.pdftotext(out + "/" + pj2))
        #expect(text.contains("Aucun navigateur n'a pu être utilisé pour rendre les pages en image"))
        #expect(text.contains("Image aucune"))
        #expect(text.contains("Il n'existe plus de plage horaire libre pour votre demande de rendez-vous."))
        #expect(
            try run("/usr/bin/env", ["pdfimages", "-list", out + "/" + pj2]).stdout.split(separator: "\n").count == 2)
    }
}
