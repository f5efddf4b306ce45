import Foundation
import PaperboyCore

/// The plain-text and HTML bodies of a digest.
///
/// The HTML is a single column of at most 600 px that narrows with the screen, inline styles
/// only (mail programs drop style sheets), no images at all, and no background colours: text
/// keeps the client's own colours, so dark mode inverts it cleanly; links use a blue readable
/// on both.
enum DigestBody {
    static let linkColor = "#1a5fb4"
    static let mutedColor = "#6b6b6b"

    static func text(title: String, sections: [DigestSection], rising: [DigestRisingTopic] = [], settings: DigestSettings,
                     links: MailLinks) -> String {
        var text = "\(title)\n"
        for section in sections {
            text += "\n\(section.heading.uppercased())\n\n"
            for (offset, entry) in section.entries.prefix(DigestComposer.sectionLimit).enumerated() {
                text += "\(offset + 1). \(DigestText.line(entry.paper.title))\n"
                let authors = authorLine(entry.paper)
                if !authors.isEmpty { text += "   \(authors)\n" }
                if let reason = entry.reason {
                    text += "   like “\(DigestText.line(reason.likeTitle))” in your tag \(DigestText.line(reason.tag))\n"
                }
                text += "   \(settings.link(PageModels.paperPath(entry.paper.id)))\n\n"
            }
        }
        text += DigestRisingBody.text(rising, settings: settings)
        text += "-- \nChange what you get: \(links.manage)\nUnsubscribe: \(links.unsubscribe)\n"
        return text
    }

    static func html(title: String, sections: [DigestSection], rising: [DigestRisingTopic] = [], settings: DigestSettings,
                     links: MailLinks) -> String {
        var body = "<h1 style=\"margin:0 0 8px;font-size:22px;line-height:1.3\">\(htmlEscape(title))</h1>\n"
        for section in sections {
            body += "<h2 style=\"margin:24px 0 8px;font-size:17px;line-height:1.3\">\(htmlEscape(section.heading))</h2>\n"
            for entry in section.entries.prefix(DigestComposer.sectionLimit) {
                let url = settings.link(PageModels.paperPath(entry.paper.id))
                body += "<div style=\"margin:0 0 16px\">"
                body += "<a href=\"\(htmlEscape(url))\" style=\"color:\(linkColor);font-size:16px;font-weight:bold;text-decoration:none\">\(htmlEscape(DigestText.line(entry.paper.title)))</a>"
                let authors = authorLine(entry.paper)
                if !authors.isEmpty {
                    body += "<div style=\"color:\(mutedColor);font-size:14px\">\(htmlEscape(authors))</div>"
                }
                if let reason = entry.reason {
                    body += "<div style=\"font-size:14px\">like <em>\(htmlEscape(DigestText.line(reason.likeTitle)))</em> in your tag <strong>\(htmlEscape(DigestText.line(reason.tag)))</strong></div>"
                }
                body += "</div>\n"
            }
        }
        body += DigestRisingBody.html(rising, settings: settings)
        body += """
            <hr style="border:0;border-top:1px solid #8884;margin:24px 0 12px">
            <p style="margin:0;font-size:13px;color:\(mutedColor)"><a href="\(htmlEscape(links.manage))" style="color:\(linkColor)">Change what you get</a> · <a href="\(htmlEscape(links.unsubscribe))" style="color:\(linkColor)">Unsubscribe</a></p>
            """
        return page(title: title, body: body)
    }

    /// A whole HTML document around `body`: one centred column, system fonts, both colour schemes.
    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <meta name="supported-color-schemes" content="light dark">
        <title>\(htmlEscape(title))</title>
        </head>
        <body style="margin:0;padding:0">
        <div style="max-width:600px;margin:0 auto;padding:16px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5">
        \(body)
        </div>
        </body>
        </html>

        """
    }

    /// A link styled as a button (a border, no fill: it reads in both colour schemes).
    static func button(_ label: String, href: String) -> String {
        "<a href=\"\(htmlEscape(href))\" style=\"display:inline-block;padding:10px 18px;border:2px solid \(linkColor);border-radius:6px;color:\(linkColor);font-weight:bold;text-decoration:none\">\(htmlEscape(label))</a>"
    }

    /// Up to four authors, then "et al.".
    static func authorLine(_ paper: Paper) -> String {
        let names = paper.authors.map { DigestText.line($0.name) }
        return names.prefix(4).joined(separator: ", ") + (names.count > 4 ? " et al." : "")
    }
}
