import Foundation

/// In a witnessed attempt the browser has laid the page out: it, not temoin's reading of the markup,
/// says whether the text an outcome rests on was displayed.
extension BrowserWitness {
    /// What the browser says of the deciding part of a page.
    enum Displayed: String {
        case shown, hidden, absent
    }

    /// The analysis of the page the tab shows, checked against the browser's layout: a marker or a
    /// structure the browser does not display decides nothing (the page is analysed again without it);
    /// one it cannot find leaves the outcome marked uncertain. Visibility then rests on the browser.
    func analyseShown(html: String, url: String, status: Int?) -> PageAnalysis {
        let bytes = Data(html.utf8)
        var notShown = NotShown()
        var analysis = analyzer.analyze(bytes, contentType: "text/html; charset=utf-8", status: status, url: url)
        // Each round sets one marker or structure aside: a page cannot loop, but bound it all the same.
        for _ in 0..<12 {
            guard analysis.visibility?.basis == VisibilityRecord.markupBasis, let deciding = analysis.deciding else {
                return analysis
            }
            switch displayed(deciding) {
            case .shown:
                analysis.visibility = VisibilityRecord(basis: VisibilityRecord.browserBasis)
                return analysis
            case .absent:
                analysis.visibility = VisibilityRecord(
                    basis: VisibilityRecord.browserBasis, uncertain: .notFoundInBrowser,
                    detail: deciding.marker.map { "text \"\($0)\"" } ?? deciding.xpath.map { "XPath \($0)" })
                return analysis
            case .hidden:
                if let marker = deciding.marker {
                    notShown.texts.insert(marker)
                } else if let xpath = deciding.xpath {
                    notShown.xpaths.insert(xpath)
                } else {
                    return analysis
                }
                analysis = analyzer.analyze(
                    bytes, contentType: "text/html; charset=utf-8", status: status, url: url, notShown: notShown)
            }
        }
        return analysis
    }

    /// Asks the tab whether the deciding text (any element whose text holds the marker, the deepest
    /// such) or the deciding structure (the nodes of the rule's XPath; a radio button stands for its
    /// label) is displayed: laid out with a size, inside the page, not transparent, not clipped to
    /// nothing, its colour distinct from its background. A failure to ask counts as `absent`.
    func displayed(_ part: DecidingPart) -> Displayed {
        let arguments = (try? JSONEncoder().encode([part.marker ?? "", part.xpath ?? ""])).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard let arguments,
            let r = try? send(
                "Runtime.evaluate",
                ["expression": .string("(\(Self.displayedScript))(...\(arguments))"), "returnByValue": .bool(true)]),
            let value = r["result"]?["value"]?.string, let verdict = Displayed(rawValue: value)
        else { return .absent }
        return verdict
    }

    /// Runs in the page; reads only (computed styles and layout), changes nothing.
    static let displayedScript = #"""
        function (marker, xpath) {
          const norm = (s) => (s || "").normalize("NFC").toLowerCase()
            .replace(/[\u2019\u2018\u02bc\u00b4`\u2032]/g, "'")
            .replace(/\s*[\u201c\u201d\u00ab\u00bb"]\s*/g, '"')
            .replace(/[\u2013\u2014]/g, "-").replace(/\u2026/g, "...")
            .replace(/[\u00ad\u200b]/g, "").replace(/[\s\u00a0\u202f]+/g, " ").trim();
          const rgba = (c) => {
            const m = /rgba?\(([^)]+)\)/.exec(c || "");
            if (!m) return null;
            const p = m[1].split(/[ ,/]+/).filter((x) => x).map(parseFloat);
            return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
          };
          const lum = (c) => {
            const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
          };
          const shown = (el) => {
            for (let a = el; a && a.nodeType === 1; a = a.parentElement) {
              const s = getComputedStyle(a);
              if (s.display === "none" || s.contentVisibility === "hidden") return false;
              if (parseFloat(s.opacity) <= 0.01) return false;
              if (/^inset\((5\d|[6-9]\d|100)(\.\d+)?%/.test(s.clipPath || "")) return false;
              const clip = /^rect\(([^)]*)\)/.exec(s.clip || "");
              if (clip && (s.position === "absolute" || s.position === "fixed")) {
                const n = clip[1].split(/[ ,]+/).map(parseFloat);
                if (n.length === 4 && (n[1] - n[3]) * (n[2] - n[0]) <= 1) return false;
              }
            }
            const s = getComputedStyle(el);
            if (s.visibility !== "visible" || parseFloat(s.fontSize) < 1) return false;
            const r = el.getBoundingClientRect();
            if (r.width < 2 || r.height < 2) return false;
            const w = Math.max(document.documentElement.scrollWidth, innerWidth);
            const h = Math.max(document.documentElement.scrollHeight, innerHeight);
            const x = r.left + scrollX, y = r.top + scrollY;
            if (x + r.width <= 0 || y + r.height <= 0 || x >= w || y >= h) return false;
            const fg = rgba(s.color);
            if (fg && fg[3] < 0.05) return false;
            let bg = [255, 255, 255, 1];
            for (let a = el; a; a = a.parentElement) {
              const st = getComputedStyle(a);
              if (st.backgroundImage && st.backgroundImage !== "none") { bg = null; break; }
              const c = rgba(st.backgroundColor);
              if (c && c[3] > 0.9) { bg = c; break; }
            }
            if (fg && bg) {
              const l1 = lum(fg), l2 = lum(bg);
              if ((Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05) < 1.1) return false;
            }
            return true;
          };
          const candidates = [];
          if (marker) {
            const skip = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "HEAD", "TITLE"]);
            const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_ELEMENT);
            for (let el = walker.currentNode; el; el = walker.nextNode()) {
              if (skip.has(el.tagName) || !norm(el.textContent).includes(marker)) continue;
              const deeper = Array.from(el.children).some((c) => !skip.has(c.tagName) && norm(c.textContent).includes(marker));
              if (!deeper) candidates.push(el);
            }
          } else if (xpath) {
            const r = document.evaluate(xpath, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
            for (let i = 0; i < r.snapshotLength; i++) {
              let n = r.snapshotItem(i);
              if (n.nodeType !== 1) n = n.parentElement;
              if (n && n.tagName === "INPUT" && (n.type === "radio" || n.type === "checkbox")) {
                n = (n.labels && n.labels[0]) || n.parentElement;
              }
              if (n) candidates.push(n);
            }
          }
          if (!candidates.length) return "absent";
          return candidates.some(shown) ? "shown" : "hidden";
        }
        """#
}
