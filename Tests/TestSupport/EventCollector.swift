import Foundation
import Synchronization

/// Collects the elements of an async sequence in the background so a test can wait for one
/// with a timeout (an `AsyncStream` iterator alone blocks until the next element).
public final class EventCollector<Element: Sendable>: Sendable {
    private let box = EventBox<Element>()
    private let task: Task<Void, Never>

    public init<S: AsyncSequence & Sendable>(_ sequence: S) where S.Element == Element {
        let box = self.box
        task = Task {
            do {
                for try await element in sequence { box.append(element) }
            } catch {}
        }
    }

    /// The next element (after those already returned) that matches, nil after `timeout`.
    public func next(timeout: Duration = .seconds(20), where match: (Element) -> Bool) async -> Element? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let found = box.take(where: match) { return found }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Every element collected so far.
    public var all: [Element] { box.all }

    deinit {
        task.cancel()
    }
}

/// The collected elements and how far a test has read.
final class EventBox<Element: Sendable>: Sendable {
    private let state = Mutex<(elements: [Element], cursor: Int)>(([], 0))

    func append(_ element: Element) {
        state.withLock { $0.elements.append(element) }
    }

    /// Returns the first unread element that matches and moves the cursor past it.
    func take(where match: (Element) -> Bool) -> Element? {
        state.withLock { state in
            var index = state.cursor
            while index < state.elements.count {
                if match(state.elements[index]) {
                    state.cursor = index + 1
                    return state.elements[index]
                }
                index += 1
            }
            return nil
        }
    }

    var all: [Element] { state.withLock { $0.elements } }
}
