import { block, isAutomerge, isCounter, mark, splice, splitBlock, unmark, updateBlock, } from "./implementation.js";
export function applyPatch(doc, patch) {
    const embeddedBlock = resolveEmbeddedBlock(doc, patch.path);
    if (embeddedBlock === "ignore") {
        return;
    }
    if (embeddedBlock) {
        // If embeddedBlock exists then embeddedBlock.value is a plain JS object
        // representing the value of the block marker _before_ applying the patch.
        // Furthermore, if embeddedBlock is non-null then we assume we are inside
        // an Automerge document.This means we need to use Automerge.updateBlock to
        // update the block marker. (If we aren't inside a change() callback then
        // updateBlock will throw here and that's intended, it's not valid to
        // modify an automerge value outside of a change()). The `updateBlock`
        // function replaces the existing value with a new value. Thus, we need to
        // first apply the patch to the embedded block value, then pass this
        // updated value to updateBlock.
        applyPatch(embeddedBlock.value, Object.assign(Object.assign({}, patch), { path: embeddedBlock.relativePath }));
        updateBlock(doc, embeddedBlock.textPath, embeddedBlock.index, embeddedBlock.value);
        return;
    }
    let path = resolvePath(doc, patch.path);
    if (patch.action === "put") {
        applyPutPatch(doc, path, patch);
    }
    else if (patch.action === "insert") {
        applyInsertPatch(doc, path, patch);
    }
    else if (patch.action === "del") {
        applyDelPatch(doc, path, patch);
    }
    else if (patch.action === "splice") {
        applySplicePatch(doc, path, patch);
    }
    else if (patch.action === "inc") {
        applyIncPatch(doc, path, patch);
    }
    else if (patch.action === "mark") {
        applyMarkPatch(doc, path, patch);
    }
    else if (patch.action === "unmark") {
        applyUnmarkPatch(doc, path, patch);
    }
    else if (patch.action === "conflict") {
        // Ignore conflict patches
    }
    else {
        throw new RangeError(`unsupported patch: ${patch}`);
    }
}
function applyPutPatch(doc, path, patch) {
    let { obj: parent, prop } = pathElemAt(path, -1);
    parent[prop] = patch.value;
}
function applyInsertPatch(doc, path, patch) {
    let { obj: parent, prop, parentPath } = pathElemAt(path, -1);
    if (!(typeof prop === "number")) {
        throw new RangeError(`index is not a number for patch`);
    }
    if (Array.isArray(parent)) {
        parent.splice(prop, 0, ...patch.values);
    }
    else if (typeof parent === "string") {
        if (isAutomerge(doc)) {
            let index = prop;
            for (const value of patch.values) {
                if (value == null ||
                    typeof value !== "object" ||
                    Array.isArray(value)) {
                    throw new RangeError(`block marker is not an object`);
                }
                splitBlock(doc, parentPath, index, value);
                index += 1;
            }
        }
        else {
            const { obj: grandParent, prop: grandParentProp } = pathElemAt(path, -2);
            const replacement = "\ufffc".repeat(patch.values.length);
            grandParent[grandParentProp] =
                parent.slice(0, prop) + replacement + parent.slice(prop);
        }
    }
    else {
        throw new RangeError(`target is not an array or string for patch`);
    }
}
function applyDelPatch(doc, path, patch) {
    let { obj: parent, prop, parentPath } = pathElemAt(path, -1);
    if (!(typeof prop === "number")) {
        throw new RangeError(`index is not a number for patch`);
    }
    if (Array.isArray(parent)) {
        parent.splice(prop, patch.length || 1);
    }
    else if (typeof parent === "string") {
        if (isAutomerge(doc)) {
            splice(doc, parentPath, prop, patch.length || 1);
        }
        else {
            let { obj: grandParent, prop: grandParentProp } = pathElemAt(path, -2);
            if (typeof prop !== "number") {
                throw new RangeError(`index is not a number for patch`);
            }
            let target = grandParent[grandParentProp];
            if (target == null || typeof target !== "string") {
                throw new RangeError(`target is not a string for patch`);
            }
            let newString = target.slice(0, prop) + target.slice(prop + (patch.length || 1));
            grandParent[grandParentProp] = newString;
        }
    }
    else {
        throw new RangeError(`target is not an array or string for patch`);
    }
}
function applySplicePatch(doc, path, patch) {
    if (isAutomerge(doc)) {
        let { obj: parent, prop, parentPath } = pathElemAt(path, -1);
        if (!(typeof prop === "number")) {
            throw new RangeError(`index is not a number for patch`);
        }
        splice(doc, parentPath, prop, 0, patch.value);
    }
    else {
        let { obj: parent, prop } = pathElemAt(path, -1);
        let { obj: grandParent, prop: grandParentProp } = pathElemAt(path, -2);
        if (typeof prop !== "number") {
            throw new RangeError(`index is not a number for patch`);
        }
        let target = grandParent[grandParentProp];
        if (target == null || typeof target !== "string") {
            throw new RangeError(`target is not a string for patch`);
        }
        let newString = target.slice(0, prop) + patch.value + target.slice(prop);
        grandParent[grandParentProp] = newString;
    }
}
function applyIncPatch(doc, path, patch) {
    let { obj: parent, prop } = pathElemAt(path, -1);
    const counter = parent[prop];
    if (isAutomerge(doc)) {
        if (!isCounter(counter)) {
            throw new RangeError(`target is not a counter for patch`);
        }
        counter.increment(patch.value);
    }
    else {
        if (!(typeof counter === "number")) {
            throw new RangeError(`target is not a number for patch`);
        }
        parent[prop] = counter + patch.value;
    }
}
function applyMarkPatch(doc, path, patch) {
    let { obj: parent, prop } = pathElemAt(path, -1);
    if (!isAutomerge(doc)) {
        return;
    }
    for (const markSpec of patch.marks) {
        mark(doc, patch.path, 
        // TODO: add mark expansion to patches. This will require emitting
        // the expand values in patches.
        { start: markSpec.start, end: markSpec.end, expand: "none" }, markSpec.name, markSpec.value);
    }
}
function applyUnmarkPatch(doc, path, patch) {
    if (!isAutomerge(doc)) {
        return;
    }
    unmark(doc, patch.path, { start: patch.start, end: patch.end, expand: "none" }, patch.name);
}
export function applyPatches(doc, patches) {
    for (const patch of patches) {
        applyPatch(doc, patch);
    }
}
/**
 * Find a possible target for a patch which updates a block marker in text
 *
 * In Automerge text can contain embedded block markers, which are maps that
 * appear at some index in the text. When we're applying patches we have to
 * decide what to do with these patches. What we do depends on what kind of
 * object we are applying patches _to_
 *
 * - A plain JS string - ignore this patch. The block marker is rendered as a
 *   unicode object replacement character. Updating it changes nothing
 * - An object (e.g. a marker stored in an array instead of text) - No special
 *   handling is required, whether it is plain JS or a change proxy. Return
 *   `null` so the caller resolves the path and mutates the object directly.
 * - A string _but one that is inside an automerge document_ - in this scenario
 *   we are applying the patch to a plain string in a change() callback. This
 *   means we can use Automerge.updateBlock to update the block marker. In
 *   this case we return a detached copy of the block and the remaining path.
 */
function resolveEmbeddedBlock(doc, path) {
    let current = doc;
    const currentPath = [];
    for (const [pathIndex, prop] of path.entries()) {
        if (typeof current === "string" &&
            typeof prop === "number" &&
            pathIndex !== path.length - 1) {
            if (!isAutomerge(doc)) {
                // We're trying to apply an update to a block marker but the target
                // is a plain string. Ignore the patch
                return "ignore";
            }
            const value = block(doc, currentPath, prop);
            if (value == null) {
                throw new Error(`Invalid block path: ${path}`);
            }
            return {
                textPath: currentPath,
                index: prop,
                value,
                relativePath: path.slice(pathIndex + 1),
            };
        }
        if (pathIndex !== path.length - 1) {
            if (current == null || typeof current !== "object") {
                return null;
            }
            current = current[prop];
            currentPath.push(prop);
        }
    }
    return null;
}
/**
 * Walk through a path with an object and for each element in the path return a resolved path element.
 *
 * A resolved path element looks like this:
 *
 * ```typescript
 * {
 *   obj: any,           // The object that this element in the path is a property of
 *   prop: Prop,         // The property within `obj` that this path element points at
 *   parentPath: Prop[]  // The path to `obj` within the original `doc` passed to `resolvePath`
 * }
 * ````
 *
 * For example, given an object like this:
 *
 * ```typescript
 * {
 *      todos: [{ task: "remember the milk"}]
 * }
 * ```
 *
 * Then `resolvePath(doc, ["todos", 0, "task"])` would return:
 *
 * ```typescript
 * [
 *   { obj: { todos: [{ task: "remember the milk"}] }, prop: "todos", parentPath: [] },
 *   { obj: [{ task: "remember the milk"}], prop: 0, parentPath: ["todos"] },
 *   { obj: { task: "remember the milk" }, prop: "task", parentPath: ["todos", 0] }
 * ]
 * ```
 */
function resolvePath(doc, path) {
    const result = [];
    let current = doc;
    let currentPath = [];
    for (const [index, prop] of path.entries()) {
        result.push({ obj: current, prop, parentPath: currentPath.slice() });
        currentPath.push(prop);
        if (index !== path.length - 1) {
            if (current == null || typeof current != "object") {
                // If we're not the last item in the path then we need the current
                // object to be an object so we can access it in the next iteration
                throw new Error(`Invalid path: ${path}`);
            }
            current = current[prop];
        }
        else {
            break;
        }
    }
    return result;
}
/**
 * Get an element from a resolved path, throwing an exception if the element does not exist
 *
 * @param resolved - The path to lookup in
 * @param index    - The index of the element to lookup, negative indices search backwards
 */
function pathElemAt(resolved, index) {
    let result = resolved.at(index);
    if (result == undefined) {
        throw new Error("invalid path");
    }
    return result;
}
function reversed(array) {
    return array.slice().reverse();
}
