import ControlPlane
import KVSAPI
import Hummingbird
import SigV4

/// `GET /` without a WebSocket upgrade, or an upgrade that was refused: the KVS error that
/// refuses it (bad or expired signature, unknown channel, channel full), or an
/// InvalidArgumentException asking for the upgrade.
struct SignalingRefusalRoute {
    let admission: SignalingAdmission

    func register(on router: Router<GatewayRequestContext>) {
        let admission = self.admission
        router.get("/") { request, _ in
            switch admission.check(SigV4Request(request)) {
            case .failure(let error): return KVSResponse.error(error)
            case .success: return KVSResponse.error(.invalidArgument("connect with a WebSocket upgrade"))
            }
        }
    }
}
