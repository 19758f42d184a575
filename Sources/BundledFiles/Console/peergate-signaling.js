// peergate-signaling.js: the browser side of Kinesis Video Streams WebRTC signaling, for
// peergate (or AWS). An ES module with no dependencies:
//
//   import { SignalingClient, presignSignalingURL, watchChannel } from '/console/peergate-signaling.js';
//
// SignalingClient speaks the KVS WebSocket protocol: JSON messages whose payloads are
// base64 JSON (SDP_OFFER, SDP_ANSWER, ICE_CANDIDATE; GO_AWAY, RECONNECT_ICE_SERVER and
// STATUS_RESPONSE from the server). presignSignalingURL makes the presigned wss:// URL
// with WebCrypto (AWS Signature Version 4, service kinesisvideo) for apps that hold a key;
// the peergate console instead asks the server for a short-lived URL.

/** A signaling connection as master or viewer. Events (CustomEvent, `detail`):
 *  open, sdpOffer {description, senderClientId}, sdpAnswer {description, senderClientId},
 *  iceCandidate {candidate, senderClientId}, statusResponse {status}, goAway,
 *  reconnectIceServer, close {code, reason}, error {message}. */
export class SignalingClient extends EventTarget {
  /** @param {{url: string}} options the presigned WebSocket URL (its X-Amz-ClientId names a viewer). */
  constructor({ url }) {
    super();
    this.url = url;
    this.socket = null;
  }

  /** Opens the WebSocket; resolves when it is open, rejects with a readable error. */
  open() {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url);
      this.socket = socket;
      let opened = false;
      socket.onopen = () => { opened = true; this.#emit('open'); resolve(); };
      socket.onerror = () => {
        const message = opened ? 'the signaling connection failed' : 'the signaling server refused the connection (expired URL, unknown channel, or too many viewers)';
        this.#emit('error', { message });
        if (!opened) reject(new Error(message));
      };
      socket.onclose = event => this.#emit('close', { code: event.code, reason: event.reason });
      socket.onmessage = event => this.#receive(event.data);
    });
  }

  /** Sends an offer (a viewer's offer goes to the master; a master names the viewer). */
  sendSdpOffer(description, recipientClientId) { this.#send('SDP_OFFER', { type: description.type, sdp: description.sdp }, recipientClientId); }

  sendSdpAnswer(description, recipientClientId) { this.#send('SDP_ANSWER', { type: description.type, sdp: description.sdp }, recipientClientId); }

  /** Sends a trickled candidate (RTCIceCandidate or its JSON). */
  sendIceCandidate(candidate, recipientClientId) {
    const json = typeof candidate.toJSON === 'function' ? candidate.toJSON() : candidate;
    this.#send('ICE_CANDIDATE', { candidate: json.candidate, sdpMid: json.sdpMid, sdpMLineIndex: json.sdpMLineIndex }, recipientClientId);
  }

  close() { if (this.socket) this.socket.close(); }

  #send(action, payload, recipientClientId) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) throw new Error('signaling is not connected');
    const message = { action, messagePayload: btoa(JSON.stringify(payload)) };
    if (recipientClientId) message.recipientClientId = recipientClientId;
    this.socket.send(JSON.stringify(message));
  }

  #receive(text) {
    if (!text) return;  // keep-alive
    let message;
    try { message = JSON.parse(text); } catch { return this.#emit('error', { message: 'signaling sent a message that is not JSON' }); }
    const sender = message.senderClientId;
    const payload = message.messagePayload ? JSON.parse(atob(message.messagePayload)) : null;
    switch (message.messageType) {
      case 'SDP_OFFER': return this.#emit('sdpOffer', { description: payload, senderClientId: sender });
      case 'SDP_ANSWER': return this.#emit('sdpAnswer', { description: payload, senderClientId: sender });
      case 'ICE_CANDIDATE': return this.#emit('iceCandidate', { candidate: payload, senderClientId: sender });
      case 'STATUS_RESPONSE': return this.#emit('statusResponse', { status: message.statusResponse });
      case 'GO_AWAY': return this.#emit('goAway');
      case 'RECONNECT_ICE_SERVER': return this.#emit('reconnectIceServer');
      default: return undefined;
    }
  }

  #emit(type, detail) { this.dispatchEvent(new CustomEvent(type, { detail })); }
}

const encoder = new TextEncoder();

/** RFC 3986 percent-encoding as SigV4 wants it (unreserved characters kept). */
function uriEncode(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text));
  return [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join('');
}

async function hmac(key, text) {
  const imported = await crypto.subtle.importKey('raw', typeof key === 'string' ? encoder.encode(key) : key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, encoder.encode(text)));
}

/** A presigned signaling URL (SigV4 query, service kinesisvideo, host signed).
 *  @param {{endpoint: string, region: string, accessKeyId: string, secretAccessKey: string,
 *           sessionToken?: string, channelARN: string, clientId?: string, expires?: number, now?: Date}} o
 *  endpoint is the channel's WSS endpoint (wss://host[:port]); give clientId to join as a viewer. */
export async function presignSignalingURL({ endpoint, region, accessKeyId, secretAccessKey, sessionToken, channelARN, clientId, expires = 300, now = new Date() }) {
  const url = new URL(endpoint);
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = stamp.slice(0, 8);
  const scope = `${date}/${region}/kinesisvideo/aws4_request`;
  const query = [['X-Amz-ChannelARN', channelARN]];
  if (clientId) query.push(['X-Amz-ClientId', clientId]);
  query.push(['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'], ['X-Amz-Credential', `${accessKeyId}/${scope}`], ['X-Amz-Date', stamp],
    ['X-Amz-Expires', String(expires)], ['X-Amz-SignedHeaders', 'host']);
  if (sessionToken) query.push(['X-Amz-Security-Token', sessionToken]);
  const canonicalQuery = query.map(([k, v]) => [uriEncode(k), uriEncode(v)]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`).join('&');
  const path = url.pathname || '/';
  const canonical = ['GET', path, canonicalQuery, `host:${url.host}\n`, 'host', await sha256Hex('')].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', stamp, scope, await sha256Hex(canonical)].join('\n');
  let key = await hmac('AWS4' + secretAccessKey, date);
  for (const part of [region, 'kinesisvideo', 'aws4_request']) key = await hmac(key, part);
  const signature = [...await hmac(key, toSign)].map(b => b.toString(16).padStart(2, '0')).join('');
  return `${url.protocol}//${url.host}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}

/** Watches a channel as a viewer: offers to receive video and audio, plays the master's
 *  tracks in `video`. Resolves with {pc, client, stop}; `onState` gets readable states. */
export async function watchChannel({ url, iceServers = [], video, onState = () => {} }) {
  const client = new SignalingClient({ url });
  const servers = iceServers.map(s => ({ urls: s.Uris || s.urls, username: s.Username || s.username, credential: s.Password || s.credential }));
  const pc = new RTCPeerConnection({ iceServers: servers });
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  const stream = new MediaStream();
  pc.ontrack = event => { stream.addTrack(event.track); if (video && video.srcObject !== stream) video.srcObject = stream; };
  pc.onconnectionstatechange = () => onState(pc.connectionState);
  client.addEventListener('sdpAnswer', event => pc.setRemoteDescription(event.detail.description).catch(e => onState('failed: ' + e.message)));
  client.addEventListener('iceCandidate', event => pc.addIceCandidate(event.detail.candidate).catch(() => {}));
  client.addEventListener('statusResponse', event => onState('refused: ' + JSON.stringify(event.detail.status)));
  client.addEventListener('goAway', () => onState('the server closed the session'));
  pc.onicecandidate = event => { if (event.candidate) client.sendIceCandidate(event.candidate); };
  onState('signaling');
  await client.open();
  await pc.setLocalDescription(await pc.createOffer());
  client.sendSdpOffer(pc.localDescription);
  onState('offered');
  return { pc, client, stop() { pc.close(); client.close(); if (video) video.srcObject = null; } };
}
