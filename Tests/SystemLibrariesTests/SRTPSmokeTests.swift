import CSRTP
import Testing

/// libsrtp2 links through the CSRTP module. Initialising and using it is the SRTP
/// module's job (`srtp_init` is not safe to call from two threads at once; that module
/// calls it exactly once per process), tested in SRTPTests.
@Suite struct SRTPSmokeTests {
    @Test func libraryReportsVersion2() {
        #expect(srtp_get_version() >> 24 == 2)
        let text = String(cString: srtp_get_version_string())
        #expect(text.contains("2."))
    }

    @Test func shimReportsTheTrailerToReserve() {
        // SRTP_MAX_TRAILER_LEN (tag + MKI) plus the 4-byte SRTCP index.
        #expect(peergate_srtp_max_trailer_len() >= 16 + 4)
    }
}
