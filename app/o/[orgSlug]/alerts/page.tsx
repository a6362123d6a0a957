import { AreaIntro } from "../../../_components/area-intro.tsx";

export default function Page() {
  return <AreaIntro title="Alerts" description="Prompt creep, cost regressions, budgets and waste, delivered to Slack." />;
}
