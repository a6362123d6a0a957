import { AreaIntro } from "../../../_components/area-intro.tsx";

export default function Page() {
  return <AreaIntro title="Features" description="Cost, tokens, retries and prompt growth per product feature." />;
}
