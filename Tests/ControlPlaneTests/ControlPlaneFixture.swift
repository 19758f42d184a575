import ControlPlane
import KVSAPI
import Foundation
import Storage
import Synchronization

/// A control plane over a fresh database, recording deleted channels.
final class ControlPlaneFixture: Sendable {
    let directory: String
    let database: PeerGateDatabase
    let plane: ControlPlane
    let deleted = DeletedChannels()

    init() throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "peergate-cp-\(UUID().uuidString)").path(percentEncoded: false)
        database = try PeerGateDatabase.open(dataDir: directory, migrations: Migration.bundled())
        let deleted = self.deleted
        plane = ControlPlane(
            store: ChannelStore(database: database), region: "eu-west-1", accountId: "123456789012",
            endpoints: { ("https://gw.example.com", "wss://gw.example.com") },
            channelDeleted: { channel in deleted.names.withLock { $0.append(channel.name) } })
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    @discardableResult
    func create(_ name: String, ttl: Int? = nil, tags: [ChannelAPI.Tag]? = nil) throws(KVSError) -> String {
        try plane.create(ChannelAPI.CreateInput(ChannelName: name, SingleMasterConfiguration: .init(MessageTtlSeconds: ttl), Tags: tags)).ChannelARN
    }
}

/// The KVS error a call throws, nil when it succeeds (or throws something else).
func kvsError<T>(_ call: () throws -> T) -> KVSError? {
    do {
        _ = try call()
        return nil
    } catch {
        return error as? KVSError
    }
}

/// Names of channels the control plane reported deleted.
final class DeletedChannels: Sendable {
    let names = Mutex<[String]>([])
}
