import HTTPTypes
import HummingbirdCore
import KVSAPI
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket
import SigV4
import Signaling

/// The child channel of the HTTP listener: HTTP/1.1 served by the Hummingbird router, and
/// the KVS signaling WebSocket upgrade at `/` handled by NIO channel handlers (no async task
/// per signaling connection; see ``SignalingWebSocketConnection``).
///
/// An upgrade request that is not admitted is not upgraded: it is answered with the KVS
/// error that refused it (403 AccessDenied, 404 ResourceNotFound, 400 ClientLimitExceeded …,
/// with `x-amzn-ErrorType`) and the connection is closed.
struct SignalingUpgradeChannel: HTTPChannelHandler {
    enum UpgradeResult: Sendable {
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        case refused(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, KVSError)
        case signaling
    }

    struct Value: ServerChildChannelValue {
        let upgradeResult: EventLoopFuture<UpgradeResult>
        let channel: any Channel
    }

    let responder: Responder
    let admission: SignalingAdmission
    /// Largest message a peer may send; a bigger one closes that connection.
    static let maxMessageBytes = 64 * 1024

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let admission = self.admission
        // What shouldUpgrade decided, for the upgrade or the refusal that follows.
        let decision = NIOLockedValueBox<Result<SignalingAdmission.Admitted, KVSError>?>(nil)
        return channel.eventLoop.makeCompletedFuture {
            let upgrader = NIOTypedWebSocketServerUpgrader<UpgradeResult>(
                maxFrameSize: Self.maxMessageBytes,
                shouldUpgrade: { channel, head in
                    let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
                    promise.completeWithTask {
                        let path = head.uri.split(separator: "?", maxSplits: 1).first ?? ""
                        let result = path == "/" ? admission.check(SigV4Request(head)) : .failure(.resourceNotFound("There is no WebSocket endpoint at \(path)"))
                        decision.withLockedValue { $0 = result }
                        guard case .success = result else { return nil }
                        // Clients built on the KVS C SDK ask for the "wss" subprotocol and expect it selected.
                        let offered = head.headers[canonicalForm: "sec-websocket-protocol"].map { $0.trimmingCharacters(in: .whitespaces) }
                        return offered.contains("wss") ? ["Sec-WebSocket-Protocol": "wss"] : [:]
                    }
                    return promise.futureResult
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        guard case .success(let result)? = decision.withLockedValue({ $0 }) else { throw ChannelError.inappropriateOperationForState }
                        let connection = SignalingWebSocketConnection(service: admission.service, channel: channel)
                        try channel.pipeline.syncOperations.addHandlers([
                            IdleStateHandler(readTimeout: .seconds(30)),
                            NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 1, maxAccumulatedFrameCount: 64, maxAccumulatedFrameSize: Self.maxMessageBytes),
                            connection,
                        ])
                        connection.register(result)
                        return .signaling
                    }
                })
            let upgradeConfiguration = NIOTypedHTTPServerUpgradeConfiguration(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
                        let http = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                        if case .failure(let error)? = decision.withLockedValue({ $0 }) { return .refused(http, error) }
                        return .http(http)
                    }
                })
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration(upgradeConfiguration: upgradeConfiguration)
            configuration.enablePipelining = false  // NIOAsyncChannel handles one request at a time
            configuration.enableErrorHandling = false  // Hummingbird answers errors
            configuration.enableResponseHeaderValidation = false  // swift-http-types validates
            let upgradeResult = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            return Value(upgradeResult: upgradeResult, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.upgradeResult.get() {
            case .http(let channel): await handleHTTP(asyncChannel: channel, logger: logger)
            case .refused(let channel, let error): try await Self.refuse(channel, error)
            case .signaling: return  // the channel's handlers own the connection from here
            }
        } catch {
            logger.debug("connection ended during the upgrade", metadata: ["error": "\(error)"])
        }
    }
}

extension SignalingUpgradeChannel {
    /// Writes the KVS error of a refused upgrade and closes the connection. (NIO does not
    /// pass the request head of a refused upgrade on to the HTTP handlers.)
    private static func refuse(_ channel: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, _ error: KVSError) async throws {
        let response = KVSResponse.errorParts(error)
        try await channel.executeThenClose { _, outbound in
            var headers = response.headers
            headers[.connection] = "close"
            headers[.contentLength] = String(response.body.readableBytes)
            try await outbound.write(contentsOf: [
                .head(HTTPResponse(status: response.status, headerFields: headers)), .body(response.body), .end(nil),
            ])
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the signaling WebSocket upgrade.
    static func signaling(admission: SignalingAdmission) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in SignalingUpgradeChannel(responder: responder, admission: admission) }
    }
}

extension SigV4Request {
    /// The signed parts of an upgrade request as NIO parsed it.
    init(_ head: HTTPRequestHead) {
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.init(
            method: head.method.rawValue, path: String(parts.first ?? "/"), query: QueryString.decode(parts.count > 1 ? String(parts[1]) : nil),
            headers: head.headers.map { (name: $0.name, value: $0.value) })
    }
}
