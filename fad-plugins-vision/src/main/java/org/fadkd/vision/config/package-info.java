/** Reading and validating component settings, shared by the vision plugin's factories. */
package org.fadkd.vision.config;
