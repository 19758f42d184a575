import ControlPlane
import Foundation
import KVSAPI
import SigV4
import Signaling

/// Whether a WebSocket request may join a channel's signaling: a valid presigned URL
/// (or Authorization header), `X-Amz-ChannelARN` of an existing channel, and room for the
/// peer. The role follows KVS: with `X-Amz-ClientId` the peer is a viewer, without it the
/// master.
struct SignalingAdmission: Sendable {
    let verifier: SigV4Verifier
    let store: ChannelStore
    let service: SignalingService

    struct Admitted: Sendable {
        let channel: SignalingChannel
        let peer: SignalingPeer
    }

    func check(_ request: SigV4Request, now: Date = Date()) -> Result<Admitted, KVSError> {
        do throws(SigV4Failure) {
            _ = try verifier.verify(request, now: Int(now.timeIntervalSince1970))
        } catch {
            return .failure(.accessDenied(error.message))
        }
        guard let arn = request.queryValue("X-Amz-ChannelARN"), ChannelNaming.name(inARN: arn) != nil else {
            return .failure(.invalidArgument("X-Amz-ChannelARN must be the ARN of a signaling channel"))
        }
        let peer: SignalingPeer
        if let clientId = request.queryValue("X-Amz-ClientId") {
            guard ChannelNaming.isValidName(clientId) else {
                return .failure(.invalidArgument("X-Amz-ClientId must be 1 to 256 characters of [a-zA-Z0-9_.-]"))
            }
            peer = .viewer(clientId: clientId)
        } else {
            peer = .master
        }
        let channel: SignalingChannel
        do throws(KVSError) {
            guard let found = try store.channel(arn: arn) else {
                return .failure(.resourceNotFound("The signaling channel \(arn) does not exist"))
            }
            channel = found
        } catch {
            return .failure(error)
        }
        guard service.hasRoom(channelARN: arn, for: peer) else {
            return .failure(.clientLimitExceeded("The channel already has \(service.limits.maxViewers) viewers"))
        }
        return .success(Admitted(channel: channel, peer: peer))
    }
}
