from agents import function_tool, FileSearchTool, HostedMCPTool, WebSearchTool, Agent, ModelSettings, RunContextWrapper, TResponseInputItem, Runner, RunConfig, trace
from openai import AsyncOpenAI
from types import SimpleNamespace
from guardrails.runtime import load_config_bundle, instantiate_guardrails, run_guardrails
from pydantic import BaseModel
from openai.types.shared.reasoning import Reasoning

# Tool definitions
@function_tool
def book_service_slot(day: str, hours: int):
  pass

repair_docs = FileSearchTool(
  vector_store_ids=[
    "vs_bike_manuals"
  ],
  max_num_results=4
)
parts_catalogue = HostedMCPTool(tool_config={
  "type": "mcp",
  "server_label": "parts",
  "server_url": "https://parts.example.org/mcp",
  "allowed_tools": [
    "find_part",
    "reserve_part"
  ],
  "require_approval": "never",
  "authorization": "placeholder"
})
web_search_preview = WebSearchTool()
client = AsyncOpenAI()
ctx = SimpleNamespace(guardrail_llm=client)
# Guardrails definitions
screen_config = {
  "guardrails": [
    {
      "name": "Jailbreak",
      "config": {
        "model": "gpt-4.1-mini",
        "confidence_threshold": 0.7
      }
    },
    {
      "name": "Contains PII",
      "config": {
        "block": True,
        "entities": [
          "EMAIL_ADDRESS",
          "CREDIT_CARD"
        ]
      }
    }
  ]
}
class SorterSchema__Bike(BaseModel):
  kind: str
  wheel_inches: float


class SorterSchema(BaseModel):
  topic: str
  urgent: bool
  bike: SorterSchema__Bike
  parts: list[str]


sorter = Agent(
  name="Sorter",
  instructions="Sort the cyclist's message into repair, parts or other.",
  model="gpt-5-mini",
  output_type=SorterSchema,
  model_settings=ModelSettings(
    store=True,
    reasoning=Reasoning(
      effort="low"
    )
  )
)


class MechanicContext:
  def __init__(self, workflow_input_as_text: str, state_shop_name: str):
    self.workflow_input_as_text = workflow_input_as_text
    self.state_shop_name = state_shop_name
def mechanic_instructions(run_context: RunContextWrapper[MechanicContext], _agent: Agent[MechanicContext]):
  workflow_input_as_text = run_context.context.workflow_input_as_text
  state_shop_name = run_context.context.state_shop_name
  return f"You are the mechanic at {state_shop_name}. The cyclist wrote: {workflow_input_as_text}"
mechanic = Agent(
  name="Mechanic",
  instructions=mechanic_instructions,
  model="gpt-5",
  tools=[
    book_service_slot,
    repair_docs
  ],
  model_settings=ModelSettings(
    parallel_tool_calls=True,
    store=True,
    reasoning=Reasoning(
      effort="medium",
      summary="auto"
    )
  )
)


parts_desk = Agent(
  name="Parts desk",
  instructions="""Find the part in the catalogue.
Quote {{ braces }} literally.""",
  model="gpt-4.1",
  tools=[
    parts_catalogue,
    web_search_preview
  ],
  model_settings=ModelSettings(
    temperature=0.3,
    top_p=0.9,
    max_tokens=800,
    store=True
  )
)


class WorkflowInput(BaseModel):
  input_as_text: str


def approval_request(message: str):
  # TODO: Implement
  return True

SHOP_OPENING_HOUR = 9

# Main code entrypoint
async def run_workflow(workflow_input: WorkflowInput):
  with trace("Bike shop desk"):
    state = {
      "shop_name": "Spokes & Sons",
      "visits": 0,
      "last_topic": None
    }
    workflow = workflow_input.model_dump()
    conversation_history: list[TResponseInputItem] = [
      {
        "role": "user",
        "content": [
          {
            "type": "input_text",
            "text": workflow["input_as_text"]
          }
        ]
      }
    ]
    screen_inputtext = workflow["input_as_text"]
    screen_result = await run_guardrails(ctx, screen_inputtext, "text/plain", instantiate_guardrails(load_config_bundle(screen_config)), suppress_tripwire=True)
    screen_hastripwire = guardrails_has_tripwire(screen_result)
    screen_anonymizedtext = get_guardrail_checked_text(screen_result, screen_inputtext)
    screen_output = (screen_hastripwire and build_guardrail_fail_output(screen_result or [])) or (screen_anonymizedtext or screen_inputtext)
    if screen_hastripwire:
      return screen_output
    else:
      sorter_result_temp = await Runner.run(
        sorter,
        input=[
          *conversation_history
        ],
        run_config=RunConfig(trace_metadata={
          "__trace_source__": "agent-builder",
          "workflow_id": "wf_bike_shop_desk"
        })
      )

      conversation_history.extend([item.to_input_item() for item in sorter_result_temp.new_items])

      sorter_result = {
        "output_text": sorter_result_temp.final_output.json(),
        "output_parsed": sorter_result_temp.final_output.model_dump()
      }
      state["visits"] = state["visits"] + 1.0
      state["last_topic"] = sorter_result["output_parsed"]["topic"]
      if sorter_result["output_parsed"]["topic"] == "repair" and sorter_result["output_parsed"]["urgent"]:
        approval_message = f"Book an urgent repair for {workflow['input_as_text']}?"

        if approval_request(approval_message):
            mechanic_result_temp = await Runner.run(
              mechanic,
              input=[
                *conversation_history
              ],
              run_config=RunConfig(trace_metadata={
                "__trace_source__": "agent-builder",
                "workflow_id": "wf_bike_shop_desk"
              }),
              context=MechanicContext(workflow_input_as_text=workflow["input_as_text"], state_shop_name=state["shop_name"])
            )

            conversation_history.extend([item.to_input_item() for item in mechanic_result_temp.new_items])

            mechanic_result = {
              "output_text": mechanic_result_temp.final_output_as(str)
            }
            return mechanic_result
        else:
            return workflow
      elif sorter_result["output_parsed"]["topic"] == "parts":
        parts_desk_result_temp = await Runner.run(
          parts_desk,
          input=[
            *conversation_history,
            {
              "role": "user",
              "content": [
                {
                  "type": "input_text",
                  "text": "Answer with part numbers."
                }
              ]
            }
          ]
        )

        conversation_history.extend([item.to_input_item() for item in parts_desk_result_temp.new_items])

        parts_desk_result = {
          "output_text": parts_desk_result_temp.final_output_as(str)
        }
        print(parts_desk_result)
        end_result = {
          "message": parts_desk_result["output_text"],
          "wheel": sorter_result["output_parsed"]["bike"]["wheel_inches"]
        }
        return end_result
      else:
        summary_result = {"topic": sorter_result["output_parsed"]["topic"], "shop": "Visit " + state["shop_name"]}
        filesearch_result = { "results": [
          {
            "id": result.file_id,
            "filename": result.filename,
            "score": result.score,
          } for result in client.vector_stores.search(vector_store_id="bike-faq", query=f"opening hours {state['shop_name']}", max_num_results=3)
        ]}
        while state["visits"] < 3:
          state["visits"] = state["visits"] + 1.0
        return filesearch_result
