import ControlPlane
import KVSAPI
import Foundation
import HTTPTypes
import Hummingbird

/// JSON bodies and errors the way the KVS API writes them.
enum KVSResponse {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// 200 with the JSON of `value`.
    static func json(_ value: some Encodable) -> Response {
        do {
            let data = try encoder.encode(value)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            return Self.error(.internalFailure("cannot encode the response: \(error)"))
        }
    }

    /// The error status with `x-amzn-ErrorType: <Name>` and a body carrying the message as
    /// `Message` (boto3, the AWS CLI) and `message` with `__type` (the KVS C SDK).
    static func error(_ error: KVSError) -> Response {
        let parts = errorParts(error)
        return Response(status: parts.status, headers: parts.headers, body: .init(byteBuffer: parts.body))
    }

    /// Status, headers and body of an error response.
    static func errorParts(_ error: KVSError) -> (status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer) {
        let body = ["__type": error.name, "Message": error.message, "message": error.message]
        let data = (try? encoder.encode(body)) ?? Data()
        return (
            .init(code: error.status), [.contentType: "application/json", HTTPField.Name("x-amzn-ErrorType")!: error.name],
            ByteBuffer(bytes: data)
        )
    }

    /// Decodes a request body of the operation's input type; malformed JSON is an
    /// InvalidArgumentException naming what could not be read.
    static func decode<Input: Decodable>(_ type: Input.Type, from request: Request) async throws(KVSError) -> Input {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: .max)
        } catch {
            throw .invalidArgument("the request body could not be read")
        }
        let bytes = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer: buffer)
        do {
            return try JSONDecoder().decode(Input.self, from: bytes)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw .invalidArgument("\(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type")
        } catch {
            throw .invalidArgument("the request body is not the JSON object of this operation")
        }
    }
}

extension Router<GatewayRequestContext> {
    /// A POST operation of the KVS API: JSON in, JSON out, KVS errors.
    func kvsOperation<Input: Decodable & SendableMetatype, Output: Encodable & SendableMetatype>(
        _ path: RouterPath, _ input: Input.Type,
        _ body: @escaping @Sendable (Input, GatewayRequestContext) async throws(KVSError) -> Output
    ) {
        post(path) { request, context in
            do throws(KVSError) {
                let value = try await KVSResponse.decode(Input.self, from: request)
                return KVSResponse.json(try await body(value, context))
            } catch {
                return KVSResponse.error(error)
            }
        }
    }
}
