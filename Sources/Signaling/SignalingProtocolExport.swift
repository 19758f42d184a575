/// The sans-I/O protocol (messages, the hub's routing, limits) is part of this module's API:
/// importing `Signaling` brings it in, as before it had a module of its own.
@_exported import SignalingProtocol
