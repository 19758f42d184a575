/// Encodes the configuration with the shapes of `Config/peergate.yaml`, so that
/// `peergate config check` prints a file `serve --config` accepts: absent optionals as
/// empty strings, the relay port range as `"first-last"`, secrets masked unless revealed.
extension PeerGateConfig.HTTP {
    private enum CodingKeys: String, CodingKey {
        case host, port, publicURL, maxBodyBytes, tls
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(host, forKey: .host)
        try container.encode(port, forKey: .port)
        try container.encode(publicURL ?? "", forKey: .publicURL)
        try container.encode(maxBodyBytes, forKey: .maxBodyBytes)
        try container.encode(tls ?? PeerGateConfig.TLSFiles(certificateFile: "", keyFile: ""), forKey: .tls)
    }
}

extension PeerGateConfig.Log {
    private enum CodingKeys: String, CodingKey {
        case level, format
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(level.rawValue, forKey: .level)
        try container.encode(format, forKey: .format)
    }
}

extension PeerGateConfig.TURN {
    private enum CodingKeys: String, CodingKey {
        case host, port, tlsPort, relayPorts, relayAddress, realm, secret, credentialTTLSeconds, allowLoopbackPeers, allowedPeers
        case maxAllocationsPerUser, maxKbpsPerUser, users
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(host, forKey: .host)
        try container.encode(port, forKey: .port)
        try container.encode(tlsPort, forKey: .tlsPort)
        try container.encode("\(relayPorts.lowerBound)-\(relayPorts.upperBound)", forKey: .relayPorts)
        try container.encode(relayAddress, forKey: .relayAddress)
        try container.encode(realm, forKey: .realm)
        if let secret {
            try container.encode(secret, forKey: .secret)
        } else {
            try container.encode("", forKey: .secret)
        }
        try container.encode(credentialTTLSeconds, forKey: .credentialTTLSeconds)
        try container.encode(allowLoopbackPeers, forKey: .allowLoopbackPeers)
        try container.encode(allowedPeers, forKey: .allowedPeers)
        try container.encode(maxAllocationsPerUser, forKey: .maxAllocationsPerUser)
        try container.encode(maxKbpsPerUser, forKey: .maxKbpsPerUser)
        try container.encode(users, forKey: .users)
    }
}
