package handlers.collab;

import common.ParleyException;
import data.BreakoutRepository.Plan;
import handlers.Inputs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Reads what opening breakout rooms asks for: rooms as planned, or a count shared out automatically. */
final class BreakoutInputs {

  /** The {@code breakouts} bounds a request is held to. */
  record Limits(int maxRooms, int maxNameLength, int maxPeople, int maxDurationMinutes) {
  }

  /** The rooms asked for ({@code plans}), or {@code auto} rooms (then {@code plans} is empty). */
  record Request(List<Plan> plans, int auto, Integer durationMinutes) {
  }

  private BreakoutInputs() {
  }

  static Request read(JsonObject body, Limits limits) {
    Object duration = body.getValue("durationMinutes");
    Integer minutes = duration == null ? null
      : (int) Inputs.longValue(body, "durationMinutes", 0, 1, limits.maxDurationMinutes());
    Object rooms = body.getValue("rooms");
    Object count = body.getValue("count");
    if (rooms != null && count != null) {
      throw ParleyException.badRequest("send either rooms or count with assign: \"auto\", not both");
    }
    if (count != null) {
      if (!"auto".equals(body.getValue("assign"))) {
        throw ParleyException.badRequest("assign must be \"auto\" with count");
      }
      long n = Inputs.longValue(body, "count", 0, 1, Long.MAX_VALUE);
      if (n > limits.maxRooms()) {
        throw ParleyException.tooLarge("at most " + limits.maxRooms() + " breakout rooms");
      }
      return new Request(List.of(), (int) n, minutes);
    }
    if (rooms == null) {
      throw ParleyException.badRequest("rooms (or count with assign: \"auto\") is required");
    }
    if (!(rooms instanceof JsonArray list) || list.isEmpty()) {
      throw ParleyException.badRequest("rooms must be a non-empty array");
    }
    if (list.size() > limits.maxRooms()) {
      throw ParleyException.tooLarge("at most " + limits.maxRooms() + " breakout rooms");
    }
    List<Plan> plans = new ArrayList<>();
    int people = 0;
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject room)) {
        throw ParleyException.badRequest("rooms[" + i + "] must be an object {name, participants}");
      }
      String name = Inputs.requiredString(room, "name", limits.maxNameLength()).strip();
      if (name.isEmpty()) {
        throw ParleyException.badRequest("rooms[" + i + "].name is required");
      }
      Object members = room.getValue("participants", new JsonArray());
      if (!(members instanceof JsonArray ids)) {
        throw ParleyException.badRequest("rooms[" + i + "].participants must be an array of user ids");
      }
      people += ids.size();
      if (people > limits.maxPeople()) {
        throw ParleyException.tooLarge("at most " + limits.maxPeople() + " people can be sent to breakout rooms");
      }
      List<String> userIds = new ArrayList<>();
      for (int j = 0; j < ids.size(); j++) {
        if (!(ids.getValue(j) instanceof String id) || id.isBlank() || id.length() > 200) {
          throw ParleyException.badRequest("rooms[" + i + "].participants[" + j + "] must be a user id");
        }
        userIds.add(id);
      }
      plans.add(new Plan(name, userIds));
    }
    return new Request(plans, 0, minutes);
  }
}
