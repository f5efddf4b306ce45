import Foundation
import Hummingbird

/// The stylesheet, script and icon under `/static/`, read once from the bundle and served
/// from memory. Only the names found there exist: nothing in a request becomes a path.
struct StaticController {
    struct Asset: Sendable {
        var body: ByteBuffer
        var contentType: String
        var etag: String
    }

    static let assets: [String: Asset] = {
        guard let directory = Bundle.module.url(forResource: "Static", withExtension: nil, subdirectory: "Resources"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [:] }
        var assets: [String: Asset] = [:]
        for name in names {
            guard let data = try? Data(contentsOf: directory.appendingPathComponent(name)) else { continue }
            let type = switch (name as NSString).pathExtension {
            case "css": "text/css; charset=utf-8"
            case "js": "text/javascript; charset=utf-8"
            case "svg": "image/svg+xml"
            case "json": "application/json"
            default: "application/octet-stream"
            }
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in data { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            assets[name] = Asset(body: ByteBuffer(bytes: data), contentType: type, etag: "\"\(String(hash, radix: 16))\"")
        }
        return assets
    }()

    func register(on router: Router<AppRequestContext>) {
        router.get("/static/{name}") { request, context -> Response in
            let name = try context.parameters.require("name")
            guard let asset = Self.assets[name] else { throw HTTPError(.notFound, message: "No such file: /static/\(name)") }
            if request.headers[.ifNoneMatch] == asset.etag {
                return Response(status: .notModified, headers: [.eTag: asset.etag])
            }
            return Response(status: .ok,
                            headers: [.contentType: asset.contentType, .eTag: asset.etag, .cacheControl: "public, max-age=3600"],
                            body: ResponseBody(byteBuffer: asset.body))
        }
    }
}
