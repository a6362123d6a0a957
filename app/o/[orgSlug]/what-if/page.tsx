import { AreaIntro } from "../../../_components/area-intro.tsx";

export default function Page() {
  return <AreaIntro title="What-if" description="Replay your own traffic under other GPUs, quantization, routing, caching and prices." />;
}
