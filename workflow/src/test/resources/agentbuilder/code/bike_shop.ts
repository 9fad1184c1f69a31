import { tool, fileSearchTool, hostedMcpTool, Agent, AgentInputItem, Runner, withTrace } from "@openai/agents";
import { z } from "zod";


// Tool definitions
const bookServiceSlot = tool({
  name: "bookServiceSlot",
  description: "Reserve a workshop slot for a repair",
  parameters: z.object({
    day: z.string(),
    hours: z.number().int()
  }),
  execute: async (input: {day: string, hours: number}) => {
    // TODO: Unimplemented
  },
});
const repairDocs = fileSearchTool([
  "vs_bike_manuals"
])
const partsCatalogue = hostedMcpTool({
  serverLabel: "parts",
  allowedTools: [
    "find_part"
  ],
  requireApproval: "always",
  serverUrl: "https://parts.example.org/mcp"
})
const SorterSchema = z.object({ topic: z.enum(["repair", "parts", "other"]), urgent: z.boolean(), note: z.string().optional() });
const sorter = new Agent({
  name: "Sorter",
  instructions: `Sort the cyclist's message
into repair, parts or other.`,
  model: "gpt-5-mini",
  outputType: SorterSchema,
  modelSettings: {
    reasoning: {
      effort: "low",
      summary: "auto"
    },
    store: true
  }
});

interface MechanicContext {
  stateShopName: string;
}
const mechanicInstructions = (runContext: RunContext<MechanicContext>, _agent: Agent<MechanicContext>) => {
  const { stateShopName } = runContext.context;
  return `You are the mechanic at ${stateShopName}.`
}
const mechanic = new Agent({
  name: "Mechanic",
  instructions: mechanicInstructions,
  model: "gpt-5",
  tools: [
    bookServiceSlot,
    repairDocs
  ],
  modelSettings: {
    parallelToolCalls: true,
    reasoning: {
      effort: "medium"
    },
    store: true
  }
});

const partsDesk = new Agent({
  name: "Parts desk",
  instructions: "Find the part in the catalogue.",
  model: "gpt-4.1",
  tools: [
    partsCatalogue
  ],
  modelSettings: {
    temperature: 0.3,
    topP: 0.9,
    maxTokens: 800,
    store: true
  }
});

const approvalRequest = (message: string) => {

  // TODO: Implement
  return true;
}

type WorkflowInput = { input_as_text: string };


// Main code entrypoint
export const runWorkflow = async (workflow: WorkflowInput) => {
  return await withTrace("Bike shop desk", async () => {
    const state = {
      shop_name: "Spokes & Sons",
      visits: 0
    };
    const conversationHistory: AgentInputItem[] = [
      {
        role: "user",
        content: [
          {
            type: "input_text",
            text: workflow.input_as_text
          }
        ]
      }
    ];
    const runner = new Runner({
      traceMetadata: {
        __trace_source__: "agent-builder",
        workflow_id: "wf_bike_shop_desk_ts"
      }
    });
    const sorterResultTemp = await runner.run(
      sorter,
      [
        ...conversationHistory
      ]
    );
    conversationHistory.push(...sorterResultTemp.newItems.map((item) => item.rawItem));

    if (!sorterResultTemp.finalOutput) {
        throw new Error("Agent result is undefined");
    }

    const sorterResult = {
      output_text: JSON.stringify(sorterResultTemp.finalOutput),
      output_parsed: sorterResultTemp.finalOutput
    };
    state.visits = state.visits + 1.0;
    if (sorterResult.output_parsed.topic === "repair") {
      const approvalMessage = `Book a repair at ${state.shop_name}?`;

      if (approvalRequest(approvalMessage)) {
          const mechanicResultTemp = await runner.run(
            mechanic,
            [
              ...conversationHistory
            ],
            {
              context: {
                stateShopName: state.shop_name
              }
            }
          );
          conversationHistory.push(...mechanicResultTemp.newItems.map((item) => item.rawItem));

          if (!mechanicResultTemp.finalOutput) {
              throw new Error("Agent result is undefined");
          }

          const mechanicResult = {
            output_text: mechanicResultTemp.finalOutput ?? ""
          };
          return mechanicResult;
      } else {
          return workflow;
      }
    } else if (sorterResult.output_parsed.topic !== "other" && !sorterResult.output_parsed.urgent) {
      const partsDeskResultTemp = await runner.run(
        partsDesk,
        [
          ...conversationHistory
        ]
      );
      conversationHistory.push(...partsDeskResultTemp.newItems.map((item) => item.rawItem));

      if (!partsDeskResultTemp.finalOutput) {
          throw new Error("Agent result is undefined");
      }

      const partsDeskResult = {
        output_text: partsDeskResultTemp.finalOutput ?? ""
      };
      for (const line of partsDeskResult.output_text.split("\n")) { console.log(line); }
      return { message: partsDeskResult.output_text, visits: state.visits };
    } else {
      const transformResult = { topic: sorterResult.output_parsed.topic, shop: "Visit " + state.shop_name };
      return transformResult;
    }
  });
}
