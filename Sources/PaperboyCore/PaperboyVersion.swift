/// The release this build belongs to: shown by `paperboy --version` and sent in the
/// `User-Agent` of every harvest request, so both always agree.
public enum PaperboyVersion {
    public static let current = "0.1.0"
}
