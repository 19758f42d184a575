import ControlPlane
import KVSAPI
import Hummingbird

/// The signaling-channel operations of the KVS control plane (`kinesisvideo`), at the
/// paths botocore uses.
struct ControlPlaneRoutes {
    let controlPlane: ControlPlane

    func register(on router: Router<GatewayRequestContext>) {
        let plane = controlPlane
        router.kvsOperation("/createSignalingChannel", ChannelAPI.CreateInput.self) { input, _ throws(KVSError) in try plane.create(input) }
        router.kvsOperation("/describeSignalingChannel", ChannelAPI.DescribeInput.self) { input, _ throws(KVSError) in try plane.describe(input) }
        router.kvsOperation("/listSignalingChannels", ChannelAPI.ListInput.self) { input, _ throws(KVSError) in try plane.list(input) }
        router.kvsOperation("/updateSignalingChannel", ChannelAPI.UpdateInput.self) { input, _ throws(KVSError) in try plane.update(input) }
        router.kvsOperation("/deleteSignalingChannel", ChannelAPI.DeleteInput.self) { input, _ throws(KVSError) in try plane.delete(input) }
        router.kvsOperation("/getSignalingChannelEndpoint", ChannelAPI.GetEndpointInput.self) { input, _ throws(KVSError) in try plane.endpoint(input) }
        router.kvsOperation("/TagResource", ChannelAPI.TagResourceInput.self) { input, _ throws(KVSError) in try plane.tagResource(input) }
        router.kvsOperation("/UntagResource", ChannelAPI.UntagResourceInput.self) { input, _ throws(KVSError) in try plane.untagResource(input) }
        router.kvsOperation("/ListTagsForResource", ChannelAPI.ListTagsInput.self) { input, _ throws(KVSError) in try plane.listTags(input) }
    }
}
