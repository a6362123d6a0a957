import { AreaIntro } from "../../../_components/area-intro.tsx";

export default function Page() {
  return <AreaIntro title="Pricing review" description="The quarterly report for finance: spend by provider, model and feature, price changes and alternatives." />;
}
