import Foundation
import Logging

/// Reads every section with its validation rules. A fallback given to `value` is used
/// only to carry on after a problem (the defaults layer sets every top-level key), or as
/// the default of a list element's optional field.
extension PeerGateConfig {
    init(reading r: inout ConfigReading) {
        http = HTTP(reading: &r)
        storage = Storage(
            dataDir: r.value("storage.dataDir", default: "./data", expecting: "a directory path") { $0.isEmpty ? nil : $0 })
        log = Log(
            level: r.value("log.level", default: .info, expecting: "one of trace, debug, info, notice, warning, error, critical") {
                Logger.Level(rawValue: $0.lowercased())
            },
            format: r.value("log.format", default: .text, expecting: ValueSyntax.describeChoices(LogFormat.self), ValueSyntax.choice(LogFormat.self)))
        auth = Auth(reading: &r)
        signaling = Signaling(
            maxViewers: r.value("signaling.maxViewers", default: 10, expecting: "a number in 1...1000", ValueSyntax.integer(in: 1...1000)),
            sdpPerSecond: r.value("signaling.sdpPerSecond", default: 5, expecting: "a rate in 1...1000", ValueSyntax.integer(in: 1...1000)),
            candidatesPerSecond: r.value("signaling.candidatesPerSecond", default: 20, expecting: "a rate in 1...1000", ValueSyntax.integer(in: 1...1000)),
            idleTimeoutSeconds: r.value("signaling.idleTimeoutSeconds", default: 600, expecting: "seconds in 10...86400", ValueSyntax.integer(in: 10...86_400)),
            maxConnectionSeconds: r.value("signaling.maxConnectionSeconds", default: 3600, expecting: "seconds in 120...604800", ValueSyntax.integer(in: 120...604_800)),
            answerTimeoutSeconds: r.value("signaling.answerTimeoutSeconds", default: 5, expecting: "seconds in 1...60", ValueSyntax.integer(in: 1...60)))
        turn = TURN(reading: &r)
        recording = Recording(
            segmentSeconds: r.value("recording.segmentSeconds", default: 60, expecting: "a whole number of seconds in 1...86400", ValueSyntax.integer(in: 1...86_400)),
            fsync: r.value("recording.fsync", default: .fragment, expecting: ValueSyntax.describeChoices(FsyncPolicy.self), ValueSyntax.choice(FsyncPolicy.self)),
            retentionDays: r.value("recording.retentionDays", default: 0, expecting: "a number of days in 0...36500", ValueSyntax.integer(in: 0...36_500)),
            minFreeDiskMB: r.value("recording.minFreeDiskMB", default: 1024, expecting: "a number of MB, 0 or more", ValueSyntax.integer(in: 0...Int(Int32.max))))
        publishers = r.elements("publishers") { r, key in Publisher(reading: &r, key: key) }
        recorders = r.elements("recorders") { r, key in Recorder(reading: &r, key: key) }
        Self.checkUnique(publishers.map(\.channel), list: "publishers", what: "channel", reading: &r)
        Self.checkUnique(recorders.map { "\($0.channel) as \($0.role.rawValue)" }, list: "recorders", what: "channel and role", reading: &r)
    }

    private static func checkUnique(_ names: [String], list: String, what: String, reading r: inout ConfigReading) {
        var seen = Set<String>()
        for (index, name) in names.enumerated() where !seen.insert(name).inserted {
            r.fail("\(list).\(index)", "the \(what) \"\(name)\" appears twice")
        }
    }
}

extension PeerGateConfig.HTTP {
    init(reading r: inout ConfigReading) {
        host = r.value("http.host", default: "127.0.0.1", expecting: "an IP address or host name", ValueSyntax.host)
        port = r.value("http.port", default: 8080, expecting: "a port number in 0...65535", ValueSyntax.port)
        let url = r.value("http.publicURL", default: "", expecting: "empty or an http(s) URL of scheme, host and port only") {
            $0.isEmpty ? "" : ValueSyntax.publicURL($0)
        }
        publicURL = url.isEmpty ? nil : url
        maxBodyBytes = r.value("http.maxBodyBytes", default: 1_048_576, expecting: "a size in bytes in 1024...1073741824", ValueSyntax.integer(in: 1024...1_073_741_824))
        let certificate = r.value("http.tls.certificateFile", default: "", expecting: "a readable file") { Self.readableOrEmpty($0) }
        let key = r.value("http.tls.keyFile", default: "", expecting: "a readable file") { Self.readableOrEmpty($0) }
        switch (certificate.isEmpty, key.isEmpty) {
        case (false, false): tls = PeerGateConfig.TLSFiles(certificateFile: certificate, keyFile: key)
        case (true, true): tls = nil
        default:
            tls = nil
            r.fail("http.tls", "set both certificateFile and keyFile, or neither")
        }
    }

    private static func readableOrEmpty(_ path: String) -> String? {
        path.isEmpty || FileManager.default.isReadableFile(atPath: path) ? path : nil
    }
}

extension PeerGateConfig.Auth {
    init(reading r: inout ConfigReading) {
        region = r.value("auth.region", default: "us-east-1", expecting: "a region name like us-east-1", ValueSyntax.region)
        accountId = r.value("auth.accountId", default: "000000000000", expecting: "a 12-digit account id", ValueSyntax.accountId)
        credentials = r.elements("auth.credentials") { r, key in
            let id = r.required("\(key).accessKeyId", expecting: "16 to 128 letters and digits", ValueSyntax.accessKeyId)
            let secret = r.required("\(key).secretAccessKey", expecting: "a secret of at least 16 characters", ValueSyntax.secret)
            guard let id, let secret else { return nil }
            return PeerGateConfig.AccessKey(accessKeyId: id, secretAccessKey: secret)
        }
        anonymousRead = r.value("auth.anonymousRead", default: false, expecting: "true or false", ValueSyntax.bool)
        sessionHours = r.value("auth.sessionHours", default: 12, expecting: "hours from 1 to 720", ValueSyntax.integer(in: 1...720))
    }
}

extension PeerGateConfig.TURN {
    init(reading r: inout ConfigReading) {
        host = r.value("turn.host", default: "127.0.0.1", expecting: "an IP address or host name", ValueSyntax.host)
        port = r.value("turn.port", default: 3478, expecting: "a port number in 0...65535", ValueSyntax.port)
        tlsPort = r.value("turn.tlsPort", default: 5349, expecting: "a port number in 0...65535", ValueSyntax.port)
        relayPorts = r.value("turn.relayPorts", default: 20000...20999, expecting: "a range \"first-last\" within 1024-65535", ValueSyntax.portRange)
        let configuredRelay = r.value("turn.relayAddress", default: "", expecting: "empty or an IP address") { $0.isEmpty || ValueSyntax.isIPAddress($0) ? $0 : nil }
        if !configuredRelay.isEmpty {
            relayAddress = configuredRelay
        } else if ValueSyntax.isIPAddress(host), host != "0.0.0.0", host != "::" {
            relayAddress = host
        } else {
            relayAddress = ""
            r.fail("turn.relayAddress", "must be set to the IP relays advertise when turn.host is \(host)")
        }
        realm = r.value("turn.realm", default: "peergate", expecting: "1 to 127 printable characters") { (1...127).contains($0.count) && $0.allSatisfy { $0.isASCII && !$0.isWhitespace } ? $0 : nil }
        let secretText = r.value("turn.secret", default: "", expecting: "empty or a secret of at least 16 characters") {
            $0.isEmpty || $0.count >= 16 ? $0 : nil
        }
        secret = secretText.isEmpty ? nil : Secret(secretText)
        credentialTTLSeconds = r.value("turn.credentialTTLSeconds", default: 300, expecting: "seconds in 30...86400", ValueSyntax.integer(in: 30...86_400))
        allowLoopbackPeers = r.value("turn.allowLoopbackPeers", default: false, expecting: "true or false", ValueSyntax.bool)
        let peers = r.textList("turn.allowedPeers") ?? []
        allowedPeers = peers.enumerated().compactMap { index, text in
            guard let cidr = ValueSyntax.cidr(text) else {
                r.fail("turn.allowedPeers", "item \(index) \"\(text)\" is not a CIDR such as 10.0.0.0/8 or fd00::/8")
                return nil
            }
            return cidr
        }
        maxAllocationsPerUser = r.value("turn.maxAllocationsPerUser", default: 10, expecting: "a number in 1...10000", ValueSyntax.integer(in: 1...10_000))
        maxKbpsPerUser = r.value("turn.maxKbpsPerUser", default: 50_000, expecting: "kilobits per second, 0 or more", ValueSyntax.integer(in: 0...100_000_000))
        users = r.elements("turn.users") { r, key in
            let name = r.required("\(key).username", expecting: "a user name without ':'") { $0.isEmpty || $0.contains(":") ? nil : $0 }
            let password = r.required("\(key).password", expecting: "a password of at least 16 characters", ValueSyntax.secret)
            guard let name, let password else { return nil }
            return PeerGateConfig.TURNUser(username: name, password: password)
        }
    }
}

extension PeerGateConfig.Publisher {
    init?(reading r: inout ConfigReading, key: String) {
        let channel = r.required("\(key).channel", expecting: "a channel name ([a-zA-Z0-9_.-]{1,256})", ValueSyntax.channelName)
        let source = r.required("\(key).source", expecting: "an rtsp:// URL or a file path") { $0.isEmpty ? nil : $0 }
        loop = r.value("\(key).loop", default: false, expecting: "true or false", ValueSyntax.bool)
        rtspTransport = r.value("\(key).rtspTransport", default: .tcp, expecting: ValueSyntax.describeChoices(PeerGateConfig.RTSPTransport.self), ValueSyntax.choice(PeerGateConfig.RTSPTransport.self))
        onDemand = r.value("\(key).onDemand", default: true, expecting: "true or false", ValueSyntax.bool)
        closeAfterSeconds = r.value("\(key).closeAfterSeconds", default: 10, expecting: "a number of seconds in 0...3600", ValueSyntax.integer(in: 0...3600))
        keyframeResendSeconds = r.value("\(key).keyframeResendSeconds", default: 1, expecting: "a number of seconds in 0...3600 (0: never)", ValueSyntax.integer(in: 0...3600))
        transcodeAudio = r.value("\(key).transcodeAudio", default: true, expecting: "true or false", ValueSyntax.bool)
        guard let channel, let source else { return nil }
        self.channel = channel
        self.source = source
    }
}

extension PeerGateConfig.Recorder {
    init?(reading r: inout ConfigReading, key: String) {
        let channel = r.required("\(key).channel", expecting: "a channel name ([a-zA-Z0-9_.-]{1,256})", ValueSyntax.channelName)
        role = r.value("\(key).role", default: .viewer, expecting: ValueSyntax.describeChoices(PeerGateConfig.PeerRole.self), ValueSyntax.choice(PeerGateConfig.PeerRole.self))
        retentionDays = r.optional("\(key).retentionDays", expecting: "a number of days in 0...36500", ValueSyntax.integer(in: 0...36_500))
        guard let channel else { return nil }
        self.channel = channel
    }
}
