/// Paperboy as a tool for AI assistants: a Model Context Protocol server whose tools search
/// the catalog, read papers and the reader's library.
public enum PaperboyMCP {}
