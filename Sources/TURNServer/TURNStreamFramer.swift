import NIOCore
import NetworkAddressNIO
import STUN
import TURN

/// Splits a TURN stream (TCP or TLS, RFC 8656 §5 and §12.5) into messages: STUN messages
/// (first two bits 00, length from the header) and ChannelData (first two bits 01, padded
/// to 4 bytes). Anything else is a framing error that closes the connection.
struct TURNStreamFramer: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    enum FramingError: Error {
        case notTURN
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard buffer.readableBytes >= 4, let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
            let length = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self)
        else { return .needMoreData }
        let frameLength: Int
        let consumed: Int
        if first & 0xC0 == 0 {
            frameLength = STUNMessage.headerLength + Int(length)
            consumed = frameLength
            if buffer.readableBytes >= 8, buffer.getInteger(at: buffer.readerIndex + 4, as: UInt32.self) != STUNMessage.magicCookie {
                throw FramingError.notTURN
            }
        } else if ChannelData.starts(with: first) {
            frameLength = ChannelData.headerLength + Int(length)
            consumed = frameLength + ChannelData.padding(forLength: Int(length), stream: true)
        } else {
            throw FramingError.notTURN
        }
        guard buffer.readableBytes >= consumed, let frame = buffer.getSlice(at: buffer.readerIndex, length: frameLength) else {
            return .needMoreData
        }
        buffer.moveReaderIndex(forwardBy: consumed)
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }
}
