import { AreaIntro } from "../../../_components/area-intro.tsx";

export default function Page() {
  return <AreaIntro title="Prompts" description="Prompt growth over time per feature and prompt, with its monthly $ impact." />;
}
