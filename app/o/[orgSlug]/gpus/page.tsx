import { AreaIntro } from "../../../_components/area-intro.tsx";

export default function Page() {
  return <AreaIntro title="GPUs" description="GPU pools: utilization by hour, busy vs. idle cost, $/M tokens achieved." />;
}
