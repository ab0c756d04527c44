package io.streamrec.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Checks built-in Kubernetes resources against the API's types with the fabric8 model (generated from the
 * Kubernetes OpenAPI schema): the kind must be one the model knows for its apiVersion, every value must have the
 * field's type, and no field may be unknown. fabric8 keeps unknown fields in {@code additionalProperties} instead of
 * failing, so every object of the tree is walked for them.
 */
final class ApiSchema {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ApiSchema() {
    }

    /** The typed resource; problems (unknown kind or fields, wrong types) as an exception naming the resource. */
    static HasMetadata typed(Map<String, Object> resource) {
        String id = resource.get("apiVersion") + " " + Resources.id(resource);
        HasMetadata typed;
        try {
            typed = SERIALIZATION.convertValue(resource, HasMetadata.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(id + ": does not match the Kubernetes API: " + e.getMessage(), e);
        }
        if (typed instanceof GenericKubernetesResource) {
            throw new IllegalArgumentException(id + ": not a kind the Kubernetes API has at this apiVersion");
        }
        List<String> unknown = new ArrayList<>();
        walk(typed, Resources.kind(resource), unknown);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(id + ": fields unknown to the Kubernetes API: " + unknown);
        }
        return typed;
    }

    private static void walk(Object o, String path, List<String> unknown) {
        if (o == null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, unknown));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : o.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = invoke(getter, o);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
            } else {
                walk(value, path + "." + property(getter), unknown);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter, e);
        }
    }

    private static String property(Method getter) {
        String n = getter.getName().substring(3);
        return n.isEmpty() ? n : Character.toLowerCase(n.charAt(0)) + n.substring(1);
    }
}
