/** A horizontal bar chart in SVG, with a table beside it for screen readers and exact figures. */
export interface Bar {
  label: string;
  value: number;
  color?: string;
}

export function BarChart({ title, bars, unit = '' }: { title: string; bars: Bar[]; unit?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowH = 28;
  const labelW = 110;
  const width = 360;
  const height = Math.max(rowH, bars.length * rowH);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg
        role="img"
        aria-label={title}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
      >
        {bars.map((b, i) => {
          const w = ((width - labelW - 40) * b.value) / max;
          return (
            <g key={b.label} transform={`translate(0, ${i * rowH})`}>
              <text x={labelW - 8} y={rowH / 2 + 5} textAnchor="end" fontSize="14" fill="#1f2937">
                {b.label}
              </text>
              <rect x={labelW} y={5} width={w} height={rowH - 10} fill={b.color ?? '#1d4ed8'} rx={3} />
              <text x={labelW + w + 6} y={rowH / 2 + 5} fontSize="14" fill="#1f2937">
                {b.value}
                {unit}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
