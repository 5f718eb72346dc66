import Foundation
import Testing
@testable import Import

@Suite struct HandoverTests {
    struct Boom: Error, Equatable {}

    @Test func elementsArriveInOrderThenTheResult() throws {
        let handover = Handover<Int, String>(capacity: 7)
        let producer = Thread {
            do {
                for i in 0..<10_000 { try handover.put(i) }
                handover.finish(.success("done"))
            } catch {
                handover.finish(.failure(error))
            }
        }
        producer.start()
        var received: [Int] = []
        while let n = try handover.take() { received.append(n) }
        #expect(received == Array(0..<10_000))
        #expect(handover.result == "done")
    }

    @Test func theProducersErrorComesAfterEverythingItHandedOver() {
        let handover = Handover<Int, String>(capacity: 3)
        Thread {
            for i in 0..<5 { try? handover.put(i) }
            handover.finish(.failure(Boom()))
        }.start()
        var received: [Int] = []
        #expect(throws: Boom.self) {
            while let n = try handover.take() { received.append(n) }
        }
        #expect(received == [0, 1, 2, 3, 4])
    }

    @Test func cancellingReleasesABlockedProducer() throws {
        let handover = Handover<Int, String>(capacity: 2)
        Thread {
            do {
                for i in 0... { try handover.put(i) }   // blocks once two are waiting
            } catch {
                handover.finish(.failure(error))
            }
        }.start()
        #expect(try handover.take() == 0)
        handover.cancel()
        handover.waitForProducer()   // returns: the blocked put threw Cancelled
        #expect(handover.result == nil)
    }
}
