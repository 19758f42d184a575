// swift-tools-version: 6.2
import PackageDescription

/// Settings shared by every Swift target of peergate: Swift 6 language mode
/// (the default of this tools version) with warnings treated as errors.
let strictSettings: [SwiftSetting] = [
    .treatAllWarnings(as: .error)
]

/// The modules every media packet passes through. Their release builds leave out the run-time
/// exclusivity checks (a `swift_beginAccess`/`swift_endAccess` pair around every access to a
/// class's stored `var`): ≈ 12 % of the send and receive paths in `peergate bench media`.
/// Debug builds, which every test runs, keep the checks; `make fuzz` turns them back on.
let packetPathSettings: [SwiftSetting] = strictSettings + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
]

let package = Package(
    name: "peergate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "peergate", targets: ["peergate"]),
        // For Swift apps (the counterpart of the KVS SDKs): the control-plane client, the
        // signaling client, and the WebRTC stack (PeerConnection, transport, SDP, RTP).
        .library(name: "PeerGateKVSClient", targets: ["KVSClient", "KVSAPI", "SigV4"]),
        .library(name: "PeerGateSignaling", targets: ["Signaling"]),
        .library(name: "PeerGateWebRTC", targets: ["WebRTC", "SDP", "RTP", "ICE", "DTLS", "SRTP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // MARK: C libraries (Debian -dev packages, found with pkg-config)
        .systemLibrary(
            name: "CFFmpeg", path: "Sources/CFFmpeg", pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswresample-dev"])]),
        .systemLibrary(
            name: "CSRTP", path: "Sources/CSRTP", pkgConfig: "libsrtp2",
            providers: [.apt(["libsrtp2-dev"])]),
        .systemLibrary(
            name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]),

        // MARK: Files compiled into the binary (migrations, default config)
        .executableTarget(name: "EmbedFiles", path: "Sources/EmbedFiles", swiftSettings: strictSettings),
        .plugin(
            name: "EmbedFilesPlugin", capability: .buildTool(), dependencies: ["EmbedFiles"],
            path: "Sources/EmbedFilesPlugin"),
        .target(
            name: "BundledFiles", path: "Sources/BundledFiles", exclude: ["Console"], swiftSettings: strictSettings,
            plugins: ["EmbedFilesPlugin"]),

        // MARK: peergate modules
        .target(
            name: "SigV4", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings),
        .target(name: "NetworkAddress", swiftSettings: strictSettings),
        .target(name: "Locking", swiftSettings: strictSettings),
        .target(
            name: "NetworkAddressNIO", dependencies: ["NetworkAddress", "UDPSockets", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings),
        .target(name: "UDPSockets", dependencies: ["NetworkAddress", "CDatagramBatch"], swiftSettings: packetPathSettings),
        // glibc's recvmmsg, which Swift's Glibc module leaves out (it needs _GNU_SOURCE).
        .target(name: "CDatagramBatch"),
        .target(name: "CAllocator"),
        .target(name: "SDP", swiftSettings: strictSettings),
        .target(name: "SRTP", dependencies: ["CSRTP", "COpenSSL"], swiftSettings: packetPathSettings),
        .target(name: "RTP", swiftSettings: packetPathSettings),
        .target(name: "MediaFiles", swiftSettings: strictSettings),
        .target(name: "Media", dependencies: ["CFFmpeg"], swiftSettings: packetPathSettings),
        .target(
            name: "ChannelPeers",
            dependencies: [
                "WebRTC", "Signaling", "SDP", "ICE", "DTLS", "KVSClient", "KVSAPI", "NetworkAddress", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ], swiftSettings: strictSettings),
        .target(
            name: "Recording",
            dependencies: [
                "Locking", "Media", "MediaFiles", "Storage", "ChannelPeers", "WebRTC", "SDP", "RTP", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: packetPathSettings),
        .target(
            name: "Republishing",
            dependencies: [
                "Locking", "Media", "ChannelPeers", "WebRTC", "SDP", "RTP", "Signaling", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"), .product(name: "NIOCore", package: "swift-nio"),
            ], swiftSettings: packetPathSettings),
        .target(name: "DTLS", dependencies: ["COpenSSL", "SRTP"], swiftSettings: packetPathSettings),
        .target(name: "ICE", dependencies: ["STUN", "NetworkAddress"], swiftSettings: packetPathSettings),
        .target(
            name: "WebRTC",
            dependencies: [
                "ICE", "DTLS", "SRTP", "SDP", "RTP", "NetworkAddress", "NetworkAddressNIO", "UDPSockets",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: packetPathSettings),
        .target(
            name: "STUN", dependencies: ["NetworkAddress", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: packetPathSettings),
        .target(
            name: "TURN", dependencies: ["STUN", "NetworkAddress", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: packetPathSettings),
        .target(
            name: "TURNServer",
            dependencies: [
                "Locking", "TURN", "STUN", "NetworkAddress", "NetworkAddressNIO",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: packetPathSettings),
        .target(name: "KVSAPI", swiftSettings: strictSettings),
        .target(
            name: "KVSClient",
            dependencies: [
                "KVSAPI", "SigV4",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings),
        .target(
            name: "ControlPlane",
            dependencies: ["KVSAPI", "Storage", "TURN", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings),
        .target(name: "SignalingProtocol", swiftSettings: strictSettings),
        .target(
            name: "Signaling",
            dependencies: [
                "Locking", "SignalingProtocol", "SigV4",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings),
        .target(
            name: "PeerGateConfig",
            dependencies: [
                "BundledFiles",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings),
        .target(
            name: "Storage",
            dependencies: [
                "BundledFiles",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .target(name: "RecordingsAPI", swiftSettings: strictSettings),
        .target(
            name: "Gateway",
            dependencies: [
                "Locking", "RecordingsAPI", "BundledFiles", "PeerGateConfig", "Storage", "SigV4", "KVSAPI", "ControlPlane", "Signaling", "TURN", "TURNServer", "NetworkAddress", "Recording", "ChannelPeers", "Media", "MediaFiles",
                "KVSClient", "Republishing", "CAllocator",
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings),
        .target(
            name: "PeerGateBench",
            dependencies: [
                "Locking", "KVSAPI", "KVSClient", "SigV4", "Signaling", "STUN", "SRTP", "WebRTC", "DTLS", "ICE", "SDP", "UDPSockets",
                "NetworkAddress", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        // libFuzzer targets over the sans-I/O parsers and state machines (`make fuzz`).
        .target(
            name: "FuzzTargets",
            dependencies: ["STUN", "TURN", "SDP", "RTP", "SignalingProtocol", "SigV4", "MediaFiles", "RecordingsAPI", "NetworkAddress"],
            swiftSettings: strictSettings),
        .executableTarget(name: "peergate-fuzz", dependencies: ["FuzzTargets"], swiftSettings: strictSettings),
        .executableTarget(
            name: "peergate",
            dependencies: [
                "Gateway", "RecordingsAPI", "PeerGateConfig", "Storage", "KVSAPI", "KVSClient", "SigV4", "Signaling", "PeerGateBench",
                "WebRTC", "ICE", "DTLS", "SDP", "NetworkAddress", "RTP", "MediaFiles", "Media", "Recording", "ChannelPeers", "Republishing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),

        // MARK: Tests
        .testTarget(
            name: "SystemLibrariesTests", dependencies: ["CFFmpeg", "CSRTP", "COpenSSL"],
            swiftSettings: strictSettings),
        .testTarget(name: "RecordingsAPITests", dependencies: ["RecordingsAPI"], swiftSettings: strictSettings),
        .testTarget(name: "SigV4Tests", dependencies: ["SigV4"], swiftSettings: strictSettings),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets"], resources: [.copy("Corpus")], swiftSettings: strictSettings),
        .testTarget(name: "SDPTests", dependencies: ["SDP"], resources: [.copy("Fixtures")], swiftSettings: strictSettings),
        .testTarget(name: "SRTPTests", dependencies: ["SRTP", "CSRTP", "PeerGateTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "PeerGateBenchTests",
            dependencies: [
                "PeerGateBench",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        .testTarget(name: "UDPSocketsTests", dependencies: ["UDPSockets", "NetworkAddress"], swiftSettings: strictSettings),
        .testTarget(name: "RTPTests", dependencies: ["RTP", "PeerGateTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "MediaTests", dependencies: ["Media", "PeerGateTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "RecordingTests", dependencies: ["Recording", "Media", "MediaFiles", "Storage", "RTP", "SDP", "WebRTC", "PeerGateTestSupport", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")], swiftSettings: strictSettings),
        .testTarget(
            name: "ChannelPeersTests", dependencies: ["ChannelPeers", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: strictSettings),
        .testTarget(
            name: "RepublishingTests",
            dependencies: [
                "Republishing", "Media", "RTP", "SDP", "WebRTC", "PeerGateTestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ], swiftSettings: strictSettings),
        .testTarget(name: "DTLSTests", dependencies: ["DTLS", "SRTP"], swiftSettings: strictSettings),
        .testTarget(
            name: "WebRTCTests",
            dependencies: [
                "WebRTC", "ICE", "DTLS", "SRTP", "NetworkAddress", "RTP", "SDP", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ], swiftSettings: strictSettings),
        .testTarget(name: "ICETests", dependencies: ["ICE", "STUN", "TURN", "NetworkAddress", "PeerGateTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "STUNTests", dependencies: ["STUN", "NetworkAddress"], swiftSettings: strictSettings),
        .testTarget(name: "TURNTests", dependencies: ["TURN", "STUN", "NetworkAddress"], swiftSettings: strictSettings),
        .testTarget(name: "SignalingTests", dependencies: ["Signaling", "SigV4"], swiftSettings: strictSettings),
        .testTarget(
            name: "ControlPlaneTests", dependencies: ["ControlPlane", "KVSAPI", "Storage", "TURN"], swiftSettings: strictSettings),
        .testTarget(
            name: "PeerGateConfigTests", dependencies: ["PeerGateConfig", "BundledFiles"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "StorageTests", dependencies: ["Storage", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "PeerGateConfig", "Storage", "Recording", "RecordingsAPI", "Media", "SigV4", "ChannelPeers", "ICE", "NetworkAddress",
                "PeerGateTestSupport", "CAllocator",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings),
        .target(name: "PeerGateTestSupport", path: "Tests/TestSupport", swiftSettings: strictSettings),
        .testTarget(
            name: "CLITests", dependencies: ["peergate", "PeerGateTestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "peergate", "PeerGateTestSupport", "SDP", "SigV4", "Signaling", "WebRTC", "ICE", "DTLS", "NetworkAddress", "RTP", "MediaFiles", "Recording",
                "Storage", "Republishing", "Media", "UDPSockets",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
    ]
)
