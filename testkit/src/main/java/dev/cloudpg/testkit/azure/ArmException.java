package dev.cloudpg.testkit.azure;

/** An ARM error answer: the HTTP status and the {@code error.code} / {@code error.message} of its JSON body. */
final class ArmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  ArmException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static ArmException notFound(ArmPath path) {
    String group = path.resourceGroup() == null ? "" : path.resourceGroup();
    return switch (path.typeKey()) {
      case "microsoft.resources/resourcegroups" ->
          new ArmException(404, "ResourceGroupNotFound", "Resource group '" + group + "' could not be found.");
      case "microsoft.authorization/roleassignments" ->
          new ArmException(404, "RoleAssignmentNotFound", "The role assignment '" + path.last() + "' is not found.");
      case "microsoft.authorization/roledefinitions" ->
          new ArmException(404, "RoleDefinitionDoesNotExist", "The specified role definition with ID '"
              + path.last() + "' does not exist.");
      default -> new ArmException(404, "ResourceNotFound", "The Resource '" + path.type() + "/" + path.last()
          + "' under resource group '" + group + "' was not found.");
    };
  }

  static ArmException groupNotFound(String group) {
    return new ArmException(404, "ResourceGroupNotFound", "Resource group '" + group + "' could not be found.");
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
