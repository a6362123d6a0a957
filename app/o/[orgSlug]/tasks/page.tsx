import { AreaIntro } from "../../../_components/area-intro.tsx";

export default function Page() {
  return <AreaIntro title="Tasks" description="Every task with its call tree, per-call tokens, price and cost." />;
}
