import Testing
@testable import PaperboyServer

/// Form bodies as browsers send them.
struct LibraryFormBodyTests {
    @Test func urlEncodedFormsDecodePlusesAndEscapes() {
        #expect(FormBody.urlEncoded("tag=to+read&next=%2Flibrary%2FMoE&tag=second&empty=") ==
                ["tag": "to read", "next": "/library/MoE", "empty": ""])
    }

    @Test func multipartFormsKeepFileTextWhole() {
        let body = Array("""
            --XyZ\r
            Content-Disposition: form-data; name="tag"\r
            \r
            MoE\r
            --XyZ\r
            Content-Disposition: form-data; name="file"; filename="refs.bib"\r
            Content-Type: application/x-bibtex\r
            \r
            @misc{a,\r
              title = {Lines --XyZ inside are not boundaries}}\r
            \r
            --XyZ--\r

            """.utf8)
        let fields = FormBody.multipart(body, boundary: "XyZ")
        #expect(fields["tag"] == "MoE")
        #expect(fields["file"] == "@misc{a,\r\n  title = {Lines --XyZ inside are not boundaries}}\r\n")
        #expect(FormBody.parameter("boundary", in: #"multipart/form-data; boundary="a b""#) == "a b")
    }
}
