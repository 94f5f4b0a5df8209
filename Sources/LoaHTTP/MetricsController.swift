import HTTPTypes
import Hummingbird
import LoaCore

/// `GET /metrics`: the daemon's metrics in the Prometheus text format, through swift-prometheus.
public struct MetricsController<Source: MetricsReporting>: Sendable {
    let source: Source
    let exporter = PrometheusExporter()

    public init(source: Source) {
        self.source = source
    }

    public func addRoutes(to router: Router<LoaRequestContext>) {
        router.get("metrics") { _, _ in
            let bytes = exporter.render(await source.metrics())
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
    }
}
