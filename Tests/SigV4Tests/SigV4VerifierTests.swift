@testable import SigV4
import Testing

@Suite struct SigV4VerifierTests {
    let scope = SigV4Scope(region: "us-east-1", service: "kinesisvideo")
    let credentials = SigV4Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: SuiteVector.secret)
    let now = SuiteVector.time

    var verifier: SigV4Verifier {
        SigV4Verifier(scope: scope) { $0 == "AKIDEXAMPLE" ? SuiteVector.secret : nil }
    }

    func signedPost(body: String = #"{"ChannelName":"a"}"#, at time: Int? = nil, credentials: SigV4Credentials? = nil, scope: SigV4Scope? = nil) -> SigV4Request {
        var request = SigV4Request(
            method: "POST", path: "/createSignalingChannel",
            headers: [("Host", "127.0.0.1:8080"), ("Content-Type", "application/json")], body: Array(body.utf8))
        let signer = SigV4Signer(credentials: credentials ?? self.credentials, scope: scope ?? self.scope)
        request.headers += signer.sign(request, at: time ?? now).headers
        return request
    }

    func failure(_ request: SigV4Request, at time: Int? = nil) -> SigV4Failure? {
        do {
            _ = try verifier.verify(request, now: time ?? now)
            return nil
        } catch {
            return error
        }
    }

    @Test func verifiesEveryTestSuiteVector() throws {
        let suiteVerifier = SigV4Verifier(scope: SigV4Scope(region: "us-east-1", service: "service")) { _ in SuiteVector.secret }
        for vector in SuiteVector.all {
            var request = vector.request
            let signature = SigV4Signer(credentials: vector.credentials, scope: SigV4Scope(region: "us-east-1", service: "service"))
                .sign(request, at: SuiteVector.time, includeContentHash: vector.signsContentHash)
            request.headers += signature.headers
            #expect(try suiteVerifier.verify(request, now: SuiteVector.time) == "AKIDEXAMPLE", "\(vector.name)")
        }
    }

    @Test func acceptsAWellSignedRequestWithinTheSkew() throws {
        #expect(try verifier.verify(signedPost(), now: now + 299) == "AKIDEXAMPLE")
        #expect(try verifier.verify(signedPost(), now: now - 299) == "AKIDEXAMPLE")
    }

    @Test func refusesATamperedBody() {
        var request = signedPost()
        request.body = Array(#"{"ChannelName":"b"}"#.utf8)
        #expect(failure(request)?.reason == .signatureMismatch)
    }

    @Test func refusesAnUnknownKeyOrAWrongSecret() {
        let unknown = signedPost(credentials: SigV4Credentials(accessKeyId: "AKIDOTHER", secretAccessKey: "x"))
        #expect(failure(unknown)?.reason == .unknownAccessKey)
        let wrongSecret = signedPost(credentials: SigV4Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-the-secret"))
        let refusal = failure(wrongSecret)
        #expect(refusal?.reason == .signatureMismatch)
        // The message says what is wrong, never what the signature should have been.
        let expected = SigV4Signer(credentials: credentials, scope: scope).sign(signedPost(), at: now).signature
        #expect(refusal?.message.contains(expected) == false)
    }

    @Test func refusesOutsideTheClockSkew() {
        #expect(failure(signedPost(), at: now + 301)?.reason == .clockSkew)
        #expect(failure(signedPost(), at: now - 301)?.reason == .clockSkew)
    }

    @Test func refusesAnotherRegionOrService() {
        #expect(failure(signedPost(scope: SigV4Scope(region: "eu-west-1", service: "kinesisvideo")))?.reason == .scopeMismatch)
        #expect(failure(signedPost(scope: SigV4Scope(region: "us-east-1", service: "s3")))?.reason == .scopeMismatch)
    }

    @Test func refusesUnsignedAndMalformedRequests() {
        let unsigned = SigV4Request(method: "POST", path: "/", headers: [("Host", "h")])
        #expect(failure(unsigned)?.reason == .missing)
        var malformed = signedPost()
        malformed.headers = malformed.headers.map { $0.name == "Authorization" ? ($0.name, "AWS4-HMAC-SHA256 Credential=x") : $0 }
        #expect(failure(malformed)?.reason == .malformed)
        var missingHeader = signedPost()
        missingHeader.headers.removeAll { $0.name == "Content-Type" }
        #expect(failure(missingHeader)?.reason == .malformed)
    }

    @Test func honoursAnExplicitContentHashHeader() throws {
        var request = SigV4Request(method: "POST", path: "/x", headers: [("Host", "h")], body: Array("abc".utf8))
        request.headers += SigV4Signer(credentials: credentials, scope: scope).sign(request, at: now, includeContentHash: true).headers
        #expect(try verifier.verify(request, now: now) == "AKIDEXAMPLE")
        request.headers = request.headers.map { $0.name == "X-Amz-Content-SHA256" ? ($0.name, "UNSIGNED-PAYLOAD") : $0 }
        #expect(failure(request)?.reason == .signatureMismatch)
    }

    // MARK: presigned URLs

    func presigned(expires: Int = 300, at time: Int? = nil, clientId: String = "viewer-1") -> SigV4Request {
        var request = SigV4Request(
            method: "GET", path: "/", query: [("X-Amz-ChannelARN", "arn:aws:kinesisvideo:us-east-1:000000000000:channel/cam/1"), ("X-Amz-ClientId", clientId)],
            headers: [("Host", "127.0.0.1:8443")])
        request.query += SigV4Signer(credentials: credentials, scope: scope).presign(request, at: time ?? now, expires: expires)
        return request
    }

    @Test func acceptsAPresignedURLUntilItExpires() throws {
        #expect(try verifier.verify(presigned(), now: now) == "AKIDEXAMPLE")
        #expect(try verifier.verify(presigned(), now: now + 300) == "AKIDEXAMPLE")
        #expect(failure(presigned(), at: now + 301)?.reason == .expired)
        #expect(failure(presigned(), at: now - 301)?.reason == .clockSkew)
    }

    @Test func aPresignedQueryKeepsTheRequestsOwnParametersFirstAndVerifies() throws {
        let unsigned = SigV4Request(method: "GET", path: "/v1/recordings", query: [("from", "2026-11-26T10:00:00Z")], headers: [("Host", "127.0.0.1:8080")])
        let text = SigV4Signer(credentials: credentials, scope: scope).presignedQuery(unsigned, at: now, expires: 60)
        #expect(text.hasPrefix("from=2026-11-26T10%3A00%3A00Z&X-Amz-Algorithm=AWS4-HMAC-SHA256&"))
        var received = unsigned
        received.query = QueryString.decode(text)
        #expect(try verifier.verify(received, now: now) == "AKIDEXAMPLE")
    }

    @Test func refusesATamperedPresignedURL() {
        var request = presigned()
        request.query = request.query.map { $0.name == "X-Amz-ClientId" ? ($0.name, "viewer-2") : $0 }
        #expect(failure(request)?.reason == .signatureMismatch)
        var otherHost = presigned()
        otherHost.headers = [("Host", "evil.example.com")]
        #expect(failure(otherHost)?.reason == .signatureMismatch)
        var badExpiry = presigned()
        badExpiry.query = badExpiry.query.map { $0.name == "X-Amz-Expires" ? ($0.name, "0") : $0 }
        #expect(failure(badExpiry)?.reason == .malformed)
    }

    @Test func presignedQueryEncodesLikeTheSignature() {
        let encoded = SigV4Signer.encodeQuery([("X-Amz-Credential", "AKID/20150830/us-east-1/kinesisvideo/aws4_request"), ("a b", "c+d")])
        #expect(encoded == "X-Amz-Credential=AKID%2F20150830%2Fus-east-1%2Fkinesisvideo%2Faws4_request&a%20b=c%2Bd")
    }
}
