@testable import SigV4
import Testing

@Suite struct SigV4SignerTests {
    let scope = SigV4Scope(region: "us-east-1", service: "service")

    @Test(arguments: SuiteVector.all)
    func signerReproducesTheTestSuite(vector: SuiteVector) {
        let signer = SigV4Signer(credentials: vector.credentials, scope: scope)
        let result = signer.sign(vector.request, at: SuiteVector.time, includeContentHash: vector.signsContentHash)
        #expect(result.canonicalRequest == vector.canonical)
        #expect(result.stringToSign == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n\(vector.stringToSignHash)")
        #expect(result.signature == vector.signature)
        let signedHeaders = vector.canonical.split(separator: "\n", omittingEmptySubsequences: false).dropLast().last ?? ""
        #expect(result.authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=\(signedHeaders), Signature=\(vector.signature)")
    }

    /// The signing-key derivation example of the AWS General Reference
    /// (secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam).
    @Test func signingKeyMatchesTheDocumentedDerivation() {
        let key = SigningKey.derive(secret: SuiteVector.secret, date: "20120215", scope: SigV4Scope(region: "us-east-1", service: "iam"))
        let bytes = key.withUnsafeBytes { Array($0) }
        #expect(Hex.lower(bytes) == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test func timestampsRoundTrip() {
        #expect(SigV4Time.format(SuiteVector.time) == "20150830T123600Z")
        #expect(SigV4Time.parse("20150830T123600Z") == SuiteVector.time)
        #expect(SigV4Time.parse("20240229T235959Z") == 1_709_251_199)
        #expect(SigV4Time.parse("2015-08-30T12:36:00Z") == nil)
        #expect(SigV4Time.parse("20151330T123600Z") == nil)
    }

    @Test func pathsAreNormalizedAndEncoded() {
        #expect(CanonicalRequest.canonicalURI("") == "/")
        #expect(CanonicalRequest.canonicalURI("/a/./b/../c//") == "/a/c/")
        #expect(CanonicalRequest.canonicalURI("/example/..") == "/")
        #expect(CanonicalRequest.canonicalURI("/%20") == "/%2520")
        #expect(CanonicalRequest.uriEncode("!'()*") == "%21%27%28%29%2A")
    }
}
