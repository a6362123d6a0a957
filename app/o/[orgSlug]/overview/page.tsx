import { AreaIntro } from "../../../_components/area-intro.tsx";

export default function Page() {
  return <AreaIntro title="Overview" description="Spend, IPD (successful tasks per dollar), cost per successful task and waste, as trends." />;
}
