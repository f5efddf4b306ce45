import Testing
@testable import PaperboyCore

/// BibTeX as files hold it, written by hand where real files are awkward to find: every
/// value form, every special entry type, and broken entries that must not cost their
/// neighbours.
struct BibTeXReaderTests {
    @Test func valuesInEveryFormReadBackWhole() throws {
        let (entries, problems) = BibTeXReader.read("""
            @string{ jmlr = {Journal of Machine Learning Research} }
            @article{key1,
              title = {The {BERT} of {Things: {Nested}} braces},
              note = "Quoted with {braces, and "quotes" inside}",
              year = 2019,
              month = jul,
              journal = jmlr # { (Special Issue)},
              pages = {1--10}
            }
            """)
        #expect(problems.isEmpty)
        let entry = try #require(entries.first)
        #expect(entry.type == "article" && entry.key == "key1" && entry.line == 2)
        #expect(entry.fields["title"] == "The {BERT} of {Things: {Nested}} braces")
        #expect(entry.text("title") == "The BERT of Things: Nested braces")
        #expect(entry.fields["note"] == #"Quoted with {braces, and "quotes" inside}"#)
        #expect(entry.fields["year"] == "2019")
        #expect(entry.fields["month"] == "July")
        #expect(entry.fields["journal"] == "Journal of Machine Learning Research (Special Issue)")
        #expect(entry.fields["pages"] == "1--10")
    }

    @Test func commentsPreamblesAndTextBetweenEntriesAreNotEntries() {
        let (entries, problems) = BibTeXReader.read("""
            Exported by a reference manager for ada@example.org on Monday.
            @comment{jabref-meta: databaseType:bibtex;}
            @Comment{ an @article{fake, title={Fake}} inside a comment }
            @preamble{ "\\newcommand{\\noopsort}[1]{}" }
            @comment this line is a comment too
            @Misc(paren2020, title = {Parentheses (and nested ones) around an entry}, )
            @misc{last, title={Last}}
            """)
        #expect(problems.isEmpty)
        #expect(entries.map(\.key) == ["paren2020", "last"])
        #expect(entries.map(\.line) == [6, 7])
        #expect(entries.first?.fields["title"] == "Parentheses (and nested ones) around an entry")
    }

    @Test func aMalformedEntryIsReportedWithItsLineAndTheRestIsRead() {
        let (entries, problems) = BibTeXReader.read("""
            @article{first, title = {First}}

            @article{no-comma, title = {A} author = {B}}
            @article{second, title = {Second}}
            @article{unknown-macro, journal = nosuchmacro}
            @article{missing-equals, title {X}}
            @article{third, title = {Third}}
            @article{unclosed, title = {Never closed
            """)
        #expect(entries.map(\.key) == ["first", "second", "third"])
        #expect(problems.map(\.line) == [3, 5, 6, 8])
        #expect(problems[0].reason.contains("after the field title"))
        #expect(problems[1].reason.contains("unknown @string macro nosuchmacro"))
        #expect(problems[2].reason.contains("the field title needs ="))
        #expect(problems[3].reason == "a { opened on line 8 is never closed")
        #expect(problems[3].description.hasPrefix("line 8: "))
    }

    @Test func anEntryWithoutAKeyStillHasItsFields() throws {
        let (entries, problems) = BibTeXReader.read("@misc{title = {Keyless}, eprint = {2401.01234}}")
        #expect(problems.isEmpty)
        let entry = try #require(entries.first)
        #expect(entry.key.isEmpty)
        #expect(entry.fields == ["title": "Keyless", "eprint": "2401.01234"])
    }

    @Test func nonASCIIValuesAndKeysSurvive() throws {
        let (entries, _) = BibTeXReader.read("@misc{müller2024, author = {Jürgen Müller and 李 华}, title = \"Ünïcode 🚀\"}")
        let entry = try #require(entries.first)
        #expect(entry.key == "müller2024")
        #expect(entry.fields["author"] == "Jürgen Müller and 李 华")
        #expect(entry.fields["title"] == "Ünïcode 🚀")
    }
}
